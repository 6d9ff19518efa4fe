package dev.handoff.replayer.internals;

import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/** Pauses and resumes the consumer's partitions to match what the scheduler wants paused. */
final class Pauses {
    private Pauses() {
    }

    /** Pauses {@code want} and resumes the others; {@code want == null} pauses every assigned partition. */
    static void apply(Consumer<?, ?> consumer, Set<TopicPartition> want) {
        Set<TopicPartition> assignment = consumer.assignment();
        Set<TopicPartition> target = new HashSet<>(want == null ? assignment : want);
        target.retainAll(assignment);
        Set<TopicPartition> paused = consumer.paused();
        Set<TopicPartition> toPause = new HashSet<>(target);
        toPause.removeAll(paused);
        Set<TopicPartition> toResume = new HashSet<>(paused);
        toResume.removeAll(target);
        if (!toPause.isEmpty()) {
            consumer.pause(toPause);
        }
        if (!toResume.isEmpty()) {
            consumer.resume(toResume);
        }
    }
}
