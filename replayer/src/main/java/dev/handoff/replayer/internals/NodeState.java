package dev.handoff.replayer.internals;

import dev.handoff.protocol.Health;

/**
 * Per-node delivery state: in-flight count and its limit, backoff after failures, rate limits. Poll thread only, except
 * the buckets.
 *
 * <p>One outage counts once: when a node dies with many deliveries in flight they all fail, but only the
 * first failure of deliveries started before it was counted grows the streak; a delivery started after
 * that (a retry after the backoff) counts again. A status that turns UP again after anything else clears
 * the backoff, so a node's return is acted on at once.
 */
final class NodeState {
    final String node;
    /** Bundles per second (rate 0 = unlimited). Used by the poll thread. */
    final TokenBucket parts;
    /** Bytes per second (rate 0 = unlimited). Shared with delivery threads (thread-safe). */
    final TokenBucket bytes;
    /** Deliveries allowed in flight at once. */
    final ConcurrencyLimit limit;
    int inFlight;
    int failureStreak;
    long backoffUntilMillis;
    /** The delivery sequence number up to which failures were already counted into the streak. */
    private long countedThrough = -1;
    private Health lastHealth;

    NodeState(String node, TokenBucket parts, TokenBucket bytes, ConcurrencyLimit limit) {
        this.node = node;
        this.parts = parts;
        this.bytes = bytes;
        this.limit = limit;
    }

    /**
     * A delivery started as number {@code startedSeq} found the node unavailable; {@code latestSeq} is the
     * number of the latest delivery started to any node. Returns true when this grew the streak, false
     * when the failure belongs to an outage already counted.
     */
    boolean unavailable(long startedSeq, long latestSeq) {
        if (startedSeq <= countedThrough) {
            return false;
        }
        failureStreak++;
        countedThrough = latestSeq;
        return true;
    }

    /** A delivery succeeded: the node is reachable. */
    void reachable() {
        failureStreak = 0;
    }

    /** Sees the node's current status health; a return to UP from anything else ends the backoff. */
    void observe(Health health) {
        if (health == Health.UP && lastHealth != null && lastHealth != Health.UP) {
            failureStreak = 0;
            backoffUntilMillis = 0;
            limit.restart();
        }
        lastHealth = health;
    }
}
