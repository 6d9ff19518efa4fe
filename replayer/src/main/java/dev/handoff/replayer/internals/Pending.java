package dev.handoff.replayer.internals;

import dev.handoff.protocol.EnqueueRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * A decoded record between poll and completion, with its retry state. Owned by the poll thread; a
 * delivery thread reads only the immutable fields.
 */
final class Pending {
    final ConsumerRecord<String, byte[]> raw;
    final TopicPartition partition;
    final long epoch;
    final String node;
    final EnqueueRecord record;
    int attempts;
    /** Sequence number of this record's latest delivery start (see {@link NodeState#unavailable}). */
    long startedSeq;
    int failures;
    /** Failed attempts because the part store could not be reached: they set the backoff, not the budget. */
    int sourceFailures;
    long notBeforeMillis;
    /** Deliveries to the node in flight when the latest delivery started, itself included. */
    int inFlightAtStart;
    /** How long the latest successful delivery took; written by its delivery thread before the result is queued. */
    long latencyNanos;

    Pending(ConsumerRecord<String, byte[]> raw, long epoch, String node, EnqueueRecord record) {
        this.raw = raw;
        this.partition = new TopicPartition(raw.topic(), raw.partition());
        this.epoch = epoch;
        this.node = node;
        this.record = record;
    }

    long offset() {
        return raw.offset();
    }
}
