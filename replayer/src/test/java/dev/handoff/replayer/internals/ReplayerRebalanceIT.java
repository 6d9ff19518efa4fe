package dev.handoff.replayer.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handoff.datanode.DataNode;
import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.PartKey;
import dev.handoff.replayer.Replayer;
import dev.handoff.testkit.SharedKafkaTest;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.junit.jupiter.api.Test;

class ReplayerRebalanceIT extends SharedKafkaTest {
    @Test
    void shouldShareNodePartitionsAndHandThemOverWithNothingLostOrAppliedTwice() throws Exception {
        try (ReplayRig rig = new ReplayRig(KAFKA, tmp);
             DataNode node = ReplayRig.dataNode(tmp.resolve("node"), Duration.ofMillis(50))) {
            KafkaFixture kafka = rig.kafka;
            // Given a node topic with 4 partitions and two replayers of one group, both holding partitions
            String topic = kafka.nodeTopic(node.address(), 4);
            SimpleMeterRegistry metrics1 = new SimpleMeterRegistry();
            SimpleMeterRegistry metrics2 = new SimpleMeterRegistry();
            List<EnqueueRecord> records = new ArrayList<>();
            Replayer r1 = new Replayer(kafka.settings("r1").build(), metrics1, Clock.systemUTC());
            try (Replayer r2 = new Replayer(kafka.settings("r2").build(), metrics2, Clock.systemUTC())) {
                r1.start();
                r2.start();
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(assignments(kafka))
                    .hasSize(2).allSatisfy(n -> assertThat(n).isEqualTo(2)));

                // When 40 bundles are enqueued across the partitions
                records.addAll(enqueue(rig, node, 0, 40));

                // Then both replayers deliver
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(node.appliedParts()).hasSize(40));
                assertThat(completed(metrics1)).isPositive();
                assertThat(completed(metrics2)).isPositive();

                // When 40 more are enqueued and the first replayer is closed while they are being delivered
                records.addAll(enqueue(rig, node, 40, 80));
                await().atMost(Duration.ofSeconds(60)).until(() -> node.appliedParts().size() >= 45);
                r1.close();

                // Then the second takes all partitions and everything is delivered
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    assertThat(assignments(kafka)).containsExactly(4);
                    assertThat(node.appliedParts()).hasSize(80);
                    Map<TopicPartition, Long> ends = kafka.offsets(topic, OffsetSpec.latest());
                    assertThat(kafka.committed()).isEqualTo(ends);
                });
                ReplayRig.assertAppliedOnceIntact(node, records);
                assertThat(node.totalApplied()).isEqualTo(80);
            } finally {
                r1.close();
            }

            // And each bundle has exactly one committed completion
            ReplayRig.assertOneCompletionEach(kafka.completions(), records);
        }
    }

    /** Bundles {@code from} to {@code to - 1} for {@code node}, spread over the topic's 4 partitions. */
    private static List<EnqueueRecord> enqueue(ReplayRig rig, DataNode node, int from, int to) throws Exception {
        return rig.enqueueBundles(node.address(), from, to, 4, i -> new PartKey("liaison-1", "g", i % 4, 9000 + i));
    }

    /** Number of assigned partitions per group member; none while the group does not exist yet (no member joined). */
    private static List<Integer> assignments(KafkaFixture kafka) throws Exception {
        ConsumerGroupDescription d;
        try {
            d = kafka.admin.describeConsumerGroups(List.of(kafka.group)).all().get().get(kafka.group);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return List.of();
            }
            throw e;
        }
        return d.members().stream().map(MemberDescription::assignment).map(a -> a.topicPartitions().size()).toList();
    }

    private static double completed(SimpleMeterRegistry registry) {
        return Search.in(registry).name("handoff.replay.parts").counters().stream().mapToDouble(c -> c.count()).sum();
    }
}
