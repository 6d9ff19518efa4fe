package dev.handoff.replayer.internals;

import dev.handoff.protocol.NodeStatus;
import dev.handoff.protocol.Throttle;
import dev.handoff.replayer.DeliveryLimits;
import dev.handoff.replayer.ReplayerSettings;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery limits: in-flight bundles and bytes across all nodes, and each node's state (in-flight count and
 * its adaptive limit, backoff, rate buckets with the live throttle). Counts a delivery from its start to its result. Poll thread only.
 */
final class Limits {
    private static final Logger LOGGER = LoggerFactory.getLogger(Limits.class);
    private final DeliveryLimits limits;
    private final Clock clock;
    private final ReplayerMetrics metrics;
    private final Map<String, NodeState> nodes = new HashMap<>();
    private long startSeq;
    private int inFlight;
    private long inFlightBytes;

    Limits(ReplayerSettings settings, Clock clock, ReplayerMetrics metrics) {
        this.limits = settings.limits();
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

    /** Whether {@code node} may start another delivery now (not backing off, below its concurrency limit). */
    boolean nodeOpen(NodeState node, long nowMillis) {
        return node.backoffUntilMillis <= nowMillis && node.inFlight < node.limit.current();
    }

    /**
     * Puts the node's rate limits in force: the operator's live throttle from its status when there is one
     * (a limit it leaves unset is the startup option), else the startup options. Delivery threads streaming to
     * the node see a new byte rate at their next chunk or within {@link TokenBucket#WAIT_SLICE_MILLIS}.
     */
    void throttle(NodeState node, NodeStatus status) {
        Throttle t = status == null ? null : status.throttle();
        long parts = t == null ? limits.maxPartsPerSec() : t.partsPerSec(limits.maxPartsPerSec());
        long bytes = t == null ? limits.maxBytesPerSec() : t.bytesPerSec(limits.maxBytesPerSec());
        if (node.parts.rate() != parts || node.bytes.rate() != bytes) {
            node.parts.rate(parts);
            node.bytes.rate(bytes);
            LOGGER.atInfo().addKeyValue("node", node.node).addKeyValue("maxPartsPerSec", parts)
                .addKeyValue("maxBytesPerSec", bytes).log("rate limits in force");
        }
    }

    /** Whether the replayer as a whole is full for a delivery of {@code bytes} (threads, bytes in flight). */
    boolean full(long bytes) {
        return inFlight >= limits.deliveryThreads()
            || (inFlight > 0 && inFlightBytes + bytes > limits.maxInFlightBytes());
    }

    /** Counts {@code w} as started to {@code n}. */
    void started(Pending w, NodeState n) {
        w.attempts++;
        w.startedSeq = ++startSeq;
        n.inFlight++;
        w.inFlightAtStart = n.inFlight;
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
        return nodes.computeIfAbsent(node, k -> {
            NodeState n = new NodeState(k, new TokenBucket(limits.maxPartsPerSec(), clock),
                new TokenBucket(limits.maxBytesPerSec(), clock),
                new ConcurrencyLimit(limits.maxInFlightPerNode(), limits.adaptiveConcurrency()));
            metrics.concurrencyLimit(k, n.limit.current());
            return n;
        });
    }
}
