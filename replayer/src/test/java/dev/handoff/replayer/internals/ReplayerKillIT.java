package dev.handoff.replayer.internals;

import dev.handoff.testkit.ChildJvm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handoff.datanode.DataNode;
import dev.handoff.protocol.Completion;
import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.json.Codecs;
import dev.handoff.testkit.FakePartStore;
import dev.handoff.testkit.KafkaClusterExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ReplayerKillIT {
    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.shared();

    @TempDir
    Path tmp;

    @Test
    void shouldLoseNothingAndApplyNothingTwiceWhenTheReplayerIsKilledMidStream() throws Exception {
        // Given a slow data node (every session waits before answering) and 60 bundles enqueued on two partitions
        try (ReplayRig rig = new ReplayRig(KAFKA, tmp);
             DataNode node = ReplayRig.dataNode(tmp.resolve("node"), Duration.ofMillis(300))) {
            KafkaFixture kafka = rig.kafka;
            FakePartStore store = rig.store;
            String topic = kafka.nodeTopic(node.address(), 2);
            List<EnqueueRecord> records = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                EnqueueRecord r = Bundles.write(store, node.address(), new PartKey("liaison-1", "g", i % 2, 5000 + i), 1000);
                kafka.enqueue(r, i % 2);
                records.add(r);
            }
            Path log = tmp.resolve("replayer.log");
            String[] args = {KAFKA.bootstrapServers(), kafka.topics.prefix(), kafka.group, "killed", "1024"};

            // When a replayer JVM is killed with SIGKILL while it streams, and restarted, three times
            for (int cycle = 0; cycle < 3; cycle++) {
                long before = node.totalApplied();
                try (ChildJvm child = new ChildJvm(log, List.of("-Xmx256m"), ReplayerProcessMain.class, args)) {
                    await().atMost(Duration.ofSeconds(60)).until(() -> node.totalApplied() >= before + 5 || !child.isAlive());
                    assertThat(child.isAlive()).as("child replayer alive in cycle %d (see %s)", cycle, log).isTrue();
                    child.kill();
                }
            }
            // and a last incarnation runs to the end
            try (ChildJvm child = new ChildJvm(log, List.of("-Xmx256m"), ReplayerProcessMain.class, args)) {
                await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                    assertThat(node.appliedParts()).hasSize(60);
                    Map<TopicPartition, Long> ends = kafka.offsets(topic, OffsetSpec.latest());
                    assertThat(kafka.committed()).isEqualTo(ends);
                });
            }

            // Then every bundle was applied exactly once, intact
            for (EnqueueRecord r : records) {
                assertThat(node.appliedCount(r.part())).as("applied count of %s", r.part()).isEqualTo(1);
                assertThat(node.verify(r.part(), r.types())).isEmpty();
            }
            assertThat(node.totalApplied()).isEqualTo(60);

            // And there is exactly one committed completion per bundle (aborted transactions of the killed ones are invisible)
            List<Completion> completions = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> c : kafka.readAll(kafka.topics.completions())) {
                completions.add(Codecs.COMPLETION.decode(c.value()));
            }
            Map<PartKey, Long> perPart = completions.stream().collect(Collectors.groupingBy(Completion::part, Collectors.counting()));
            assertThat(perPart).hasSize(60).allSatisfy((part, n) -> assertThat(n).as("completions of %s", part).isEqualTo(1));
            assertThat(completions).extracting(Completion::outcome)
                .allMatch(o -> o == Completion.Outcome.DELIVERED || o == Completion.Outcome.DUPLICATE);
            assertThat(records.stream().map(EnqueueRecord::part).collect(Collectors.toMap(Function.identity(), p -> 1L)))
                .isEqualTo(perPart);
        }
    }
}
