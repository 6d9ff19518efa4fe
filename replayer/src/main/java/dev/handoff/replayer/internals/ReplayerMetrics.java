package dev.handoff.replayer.internals;

import dev.handoff.protocol.Completion;
import java.time.Duration;

/**
 * What the replayer measures, all {@code handoff.replay.*}: parts by node and outcome, delivered bytes by
 * node, delivery latency, in-flight bundles, retries by node, parked records by reason, paused nodes, each
 * node's concurrency limit.
 * Implementations are thread-safe.
 */
interface ReplayerMetrics {

    /** One record completed with {@code outcome}. */
    void completed(String node, Completion.Outcome outcome);

    void deliveredBytes(String node, long bytes);

    void latency(Duration d);

    void retried(String node);

    void parked(String reason);

    void inFlight(int n);

    void pausedNodes(int n);

    /** The number of deliveries {@code node} may have in flight now (adaptive, see {@code ConcurrencyLimit}). */
    void concurrencyLimit(String node, int limit);
}
