package dev.handoff.replayer.internals;

import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * One owned node-topic partition: records waiting for delivery in offset order, and the offset
 * tracker of everything polled and not yet committed. {@code epoch} tells results of an earlier
 * ownership apart. Poll thread only.
 */
final class PartitionState {
    final TopicPartition partition;
    final String node;
    final long epoch;
    final TreeMap<Long, Pending> waiting = new TreeMap<>();
    final OffsetTracker<Done> tracker = new OffsetTracker<>();
    /**
     * At most the earliest {@code expiresAt} among the waiting records ({@link Long#MAX_VALUE}: none expires): until
     * it has passed no waiting record can be expired, so they need no scan (it may be lower than the true minimum
     * after records left; the next scan sets it again).
     */
    long earliestExpiry = Long.MAX_VALUE;

    /** Adds {@code w} to the waiting records. */
    void addWaiting(Pending w) {
        waiting.put(w.offset(), w);
        if (w.record.expiresAt() != null) {
            earliestExpiry = Math.min(earliestExpiry, w.record.expiresAt());
        }
    }

    PartitionState(TopicPartition partition, String node, long epoch) {
        this.partition = partition;
        this.node = node;
        this.epoch = epoch;
    }
}
