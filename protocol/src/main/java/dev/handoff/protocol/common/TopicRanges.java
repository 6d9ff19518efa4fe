package dev.handoff.protocol.common;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/** Reads offset ranges of partitions with a group-less consumer: the CLI's sync point and the producer's store check. */
public final class TopicRanges {
    private TopicRanges() {
    }

    /**
     * Hands every record of each partition from {@code from} (inclusive) to {@code to} (exclusive) to {@code each},
     * polling until every range is read or {@code timeout} passed. Leaves the consumer with no assignment.
     *
     * @return true when every range was read to its end
     */
    public static <K, V> boolean read(Consumer<K, V> consumer, Map<TopicPartition, Long> from, Map<TopicPartition, Long> to,
                                      Duration timeout, java.util.function.Consumer<ConsumerRecord<K, V>> each) {
        Map<TopicPartition, Long> left = new HashMap<>();
        from.forEach((tp, offset) -> {
            Long end = to.get(tp);
            if (end != null && offset < end) {
                left.put(tp, end);
            }
        });
        consumer.assign(left.keySet());
        left.keySet().forEach(tp -> consumer.seek(tp, from.get(tp)));
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!left.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                for (ConsumerRecord<K, V> r : consumer.poll(Duration.ofMillis(200))) {
                    Long end = left.get(new TopicPartition(r.topic(), r.partition()));
                    if (end != null && r.offset() < end) {
                        each.accept(r);
                    }
                }
                for (TopicPartition tp : List.copyOf(left.keySet())) {
                    if (consumer.position(tp, timeout) >= left.get(tp)) {
                        left.remove(tp);
                        consumer.pause(List.of(tp));
                    }
                }
            }
            return true;
        } finally {
            consumer.assign(List.of());
        }
    }
}
