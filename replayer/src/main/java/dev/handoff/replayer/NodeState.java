package dev.handoff.replayer;

/** Per-node delivery state: in-flight count, backoff after failures, rate limits. Poll thread only, except the buckets. */
final class NodeState {
    final String node;
    /** Bundles per second; null = unlimited. Used by the poll thread. */
    final TokenBucket parts;
    /** Bytes per second; null = unlimited. Shared with delivery threads (thread-safe). */
    final TokenBucket bytes;
    int inFlight;
    int failureStreak;
    long backoffUntilMillis;

    NodeState(String node, TokenBucket parts, TokenBucket bytes) {
        this.node = node;
        this.parts = parts;
        this.bytes = bytes;
    }
}
