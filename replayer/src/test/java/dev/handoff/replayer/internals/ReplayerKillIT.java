package dev.handoff.replayer.internals;

import dev.handoff.testkit.ChildJvm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handoff.datanode.DataNode;
import dev.handoff.protocol.Completion;
import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.PartKey;
import dev.handoff.testkit.SharedKafkaTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ReplayerKillIT extends SharedKafkaTest {
    @Test
    void shouldLoseNothingAndApplyNothingTwiceWhenTheReplayerIsKilledMidStream() throws Exception {
        // Given a slow data node (every session waits before answering) and 60 bundles enqueued on two partitions
        try (ReplayRig rig = new ReplayRig(KAFKA, tmp);
             DataNode node = ReplayRig.dataNode(tmp.resolve("node"), Duration.ofMillis(300))) {
            KafkaFixture kafka = rig.kafka;
            String topic = kafka.nodeTopic(node.address(), 2);
            List<EnqueueRecord> records = rig.enqueueBundles(node.address(), 0, 60, 2,
                i -> new PartKey("liaison-1", "g", i % 2, 5000 + i));
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
            ReplayRig.assertAppliedOnceIntact(node, records);
            assertThat(node.totalApplied()).isEqualTo(60);

            // And there is exactly one committed completion per bundle (aborted transactions of the killed ones are invisible)
            List<Completion> completions = kafka.completions();
            ReplayRig.assertOneCompletionEach(completions, records);
            assertThat(completions).extracting(Completion::outcome)
                .allMatch(o -> o == Completion.Outcome.DELIVERED || o == Completion.Outcome.DUPLICATE);
        }
    }
}
