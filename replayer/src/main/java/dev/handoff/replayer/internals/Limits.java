package dev.handoff.replayer.internals;

import dev.handoff.replayer.ReplayerSettings;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * The delivery limits: in-flight bundles and bytes across all nodes, and each node's state (in-flight count,
 * backoff, rate buckets). Counts a delivery from its start to its result. Poll thread only.
 */
final class Limits {
    private final ReplayerSettings settings;
    private final Clock clock;
    private final ReplayerMetrics metrics;
    private final Map<String, NodeState> nodes = new HashMap<>();
    private long startSeq;
    private int inFlight;
    private long inFlightBytes;

    Limits(ReplayerSettings settings, Clock clock, ReplayerMetrics metrics) {
        this.settings = settings;
        this.clock = clock;
        this.metrics = metrics;
    }

    int inFlight() {
        return inFlight;
    }

    /** The number of the latest delivery started (see {@link NodeState#unavailable}). */
    long latestStart() {
        return startSeq;
    }

    /** Whether {@code node} may start another delivery now (not backing off, below its in-flight limit). */
    boolean nodeOpen(NodeState node, long nowMillis) {
        return node.backoffUntilMillis <= nowMillis && node.inFlight < settings.maxInFlightPerNode();
    }

    /** Whether the replayer as a whole is full for a delivery of {@code bytes} (threads, bytes in flight). */
    boolean full(long bytes) {
        return inFlight >= settings.deliveryThreads()
            || (inFlight > 0 && inFlightBytes + bytes > settings.maxInFlightBytes());
    }

    /** Counts {@code w} as started to {@code n}. */
    void started(Pending w, NodeState n) {
        w.attempts++;
        w.startedSeq = ++startSeq;
        n.inFlight++;
        inFlight++;
        inFlightBytes += w.record.bytes();
        metrics.inFlight(inFlight);
    }

    /** Counts {@code w}'s delivery as finished. */
    void finished(Pending w, NodeState n) {
        n.inFlight--;
        inFlight--;
        inFlightBytes -= w.record.bytes();
        metrics.inFlight(inFlight);
    }

    NodeState node(String node) {
        return nodes.computeIfAbsent(node, k -> new NodeState(k,
            settings.maxPartsPerSec() > 0 ? new TokenBucket(settings.maxPartsPerSec(), clock) : null,
            settings.maxBytesPerSec() > 0 ? new TokenBucket(settings.maxBytesPerSec(), clock) : null));
    }
}
