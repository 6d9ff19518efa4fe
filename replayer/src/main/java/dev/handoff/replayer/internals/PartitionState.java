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

    PartitionState(TopicPartition partition, String node, long epoch) {
        this.partition = partition;
        this.node = node;
        this.epoch = epoch;
    }
}
