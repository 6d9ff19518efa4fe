package dev.handoff.topology.state;

import dev.handoff.protocol.Completion;

/**
 * Where an enqueue record sits in its node topic. Its {@link #key()} sorts by topic, partition and
 * offset (zero-padded), so one partition's positions form a contiguous, ordered key range.
 */
public record Position(String topic, int partition, long offset) {

    public static Position of(Completion c) {
        return new Position(c.topic(), c.partition(), c.offset());
    }

    /** {@code topic|partition|offset}, numbers zero-padded. */
    public String key() {
        return partitionKey() + "|" + pad(offset);
    }

    /** {@code topic|partition}: the key of the partition's watermark, and the prefix of its positions. */
    public String partitionKey() {
        return topic + "|" + String.format("%010d", partition);
    }

    /** Zero-pads a non-negative long to 19 digits so that string order is numeric order. */
    public static String pad(long value) {
        return String.format("%019d", value);
    }

    @Override
    public String toString() {
        return topic + "/" + partition + "@" + offset;
    }
}
