package dev.handoff.replayer.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.handoff.protocol.Completion;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.json.Codecs;
import dev.handoff.protocol.common.KafkaClientSupplier;
import dev.handoff.replayer.ReplayerSettings;
import dev.handoff.testkit.SharedKafkaTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * A transaction a rebalance refused, against a real broker: it is aborted, says so, and the same producer commits
 * the same batch once the consumer has rejoined (so the replayer need not rejoin with fresh clients and send every
 * delivery of the batch again, which is what made new node topics cause redelivery bursts).
 */
class TransactionalCommitterIT extends SharedKafkaTest {
    @Test
    void shouldCommitTheSameBatchWithTheSameProducerAfterARebalanceRefusedIt() throws Exception {
        try (KafkaFixture fx = new KafkaFixture(KAFKA.bootstrapServers())) {
            // Given a group member holding a node topic, and its group metadata of that generation
            String node = "node-a:1";
            TopicPartition tp = new TopicPartition(fx.nodeTopic(node, 2), 0);
            ReplayerSettings settings = fx.settings("c1").build();
            try (KafkaConsumer<String, byte[]> first = consumer(fx, "first");
                 KafkaConsumer<String, byte[]> second = consumer(fx, "second");
                 TransactionalCommitter committer = new TransactionalCommitter(settings, KafkaClientSupplier.real())) {
                first.subscribe(List.of(tp.topic()));
                pollUntilAssigned(List.of(first));
                ConsumerGroupMetadata stale = first.groupMetadata();

                // When a second member joins (a new generation) and a transaction is committed with the old one
                second.subscribe(List.of(tp.topic()));
                pollUntilAssigned(List.of(first, second));
                assertThat(first.groupMetadata().generationId()).isGreaterThan(stale.generationId());
                Completion c = new Completion(node, new PartKey("l1", "g", 1, 7L), Completion.Outcome.DELIVERED, "c1", 1,
                    tp.topic(), tp.partition(), 0, 1_000);
                Batch batch = new Batch(List.of(c), List.of(), Map.of(tp, new OffsetAndMetadata(1)));
                TransactionalCommitter.CommitAbortedException refused = catchThrowableOfType(
                    TransactionalCommitter.CommitAbortedException.class, () -> committer.commit(batch, stale));

                // Then it is refused as a rebalance, with nothing of it visible
                assertThat(refused.refusedByRebalance()).isTrue();
                assertThat(refused.getCause()).isInstanceOf(CommitFailedException.class);
                assertThat(fx.readAll(fx.topics.completions())).isEmpty();

                // And the same producer commits the same batch with the member's current metadata, exactly once
                TopicPartition owned = first.assignment().contains(tp) ? tp : null;
                KafkaConsumer<String, byte[]> owner = owned != null ? first : second;
                committer.commit(batch, owner.groupMetadata());
                assertThat(fx.readAll(fx.topics.completions())).singleElement()
                    .satisfies(r -> assertThat(Codecs.COMPLETION.decode(r.value())).isEqualTo(c));
                assertThat(fx.committed()).containsEntry(tp, 1L);
            }
        }
    }

    private static KafkaConsumer<String, byte[]> consumer(KafkaFixture fx, String client) {
        return new KafkaConsumer<>(fx.kafka.consumer(fx.group, client), new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** Polls every member until each has partitions and none is rebalancing. */
    private static void pollUntilAssigned(List<KafkaConsumer<String, byte[]>> members) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            members.forEach(m -> m.poll(Duration.ofMillis(100)));
            if (members.stream().allMatch(m -> !m.assignment().isEmpty())) {
                int generation = members.get(0).groupMetadata().generationId();
                if (members.stream().allMatch(m -> m.groupMetadata().generationId() == generation)) {
                    return;
                }
            }
        }
        throw new AssertionError("members not assigned within 60 s");
    }
}
