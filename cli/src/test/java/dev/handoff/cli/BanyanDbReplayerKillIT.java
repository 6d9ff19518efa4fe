package dev.handoff.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handoff.banyandb.ReceiverLayout;
import dev.handoff.banyandb.SampleParts;
import dev.handoff.protocol.InvalidRecordException;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.json.Codecs;
import dev.handoff.protocol.common.KafkaSettings;
import dev.handoff.testkit.ChildJvm;
import dev.handoff.testkit.FreePorts;
import dev.handoff.testkit.SharedKafkaTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The duplicate window of BanyanDB-native delivery, measured: BanyanDB's receiver is not idempotent, so a replayer
 * SIGKILLed between a bundle's SYNC_COMPLETE and its Kafka transaction makes the group redeliver it as a second
 * copy. {@code handoff run --sink banyandb} plus two replayer processes in the same group drain 60 bundles into a
 * {@code banyandb-node} process; one replayer is killed mid-drain. Nothing may be lost; the duplicates are counted
 * and printed (docs/BANYANDB.md reports the number). {@code -Dbanyandb.kill.maxInFlightPerNode=N} sets the replayers'
 * {@code --max-in-flight-per-node} (default 16), the main knob of the window.
 */
class BanyanDbReplayerKillIT extends SharedKafkaTest {
    private static final int PARTS = 60;

    @Test
    void shouldLoseNothingWhenAReplayerIsKilledMidDrainAndCountTheDuplicates() throws Exception {
        int[] ports = FreePorts.take(3);
        String node = "localhost:" + ports[1];
        Path liaison = Files.createDirectories(tmp.resolve("liaison"));
        BackgroundRun run = BackgroundRun.start(
            "--bootstrap-servers=" + KAFKA.bootstrapServers(), "--data-dir=" + tmp.resolve("data"), "--producer-port=" + ports[0],
            "--enqueue-port=" + ports[2], "--enqueue-root=" + liaison, "--sink=banyandb", "--liaison=liaison-kill");
        List<ChildJvm> children = new ArrayList<>();
        try {
            run.awaitStarted(Duration.ofSeconds(90));
            for (int i = 1; i <= 2; i++) {
                children.add(new ChildJvm(tmp.resolve("replayer-" + i + ".log"), List.of("-Xmx256m"), Main.class, "replayer",
                    "--bootstrap-servers=" + KAFKA.bootstrapServers(), "--sink=banyandb",
                    "--instance-id=child-" + i, "--backoff-initial=100ms", "--backoff-max=1s",
                    "--max-in-flight-per-node=" + System.getProperty("banyandb.kill.maxInFlightPerNode", "16")));
            }
            // Given 60 bundles handed off while the node is down
            for (int i = 1; i <= PARTS; i++) {
                Path core = SampleParts.write(liaison, "sw_trace", i % 3, 0x1000 + i, List.of("duration", "timestamp"), 64 * 1024, i);
                assertThat(CliRun.of("enqueue", "--layout=banyandb", "--part-dir=" + core, "--liaison=liaison-kill",
                    "--nodes=" + node, "--producer=localhost:" + ports[2]).code()).isZero();
            }
            for (ChildJvm c : children) {
                await().atMost(Duration.ofSeconds(60)).until(() -> c.lines().stream().anyMatch(l -> l.contains("replayer: ")));
            }

            // When the node comes up and a replayer is SIGKILLed once a third of the bundles are committed
            Path dir = Files.createDirectories(tmp.resolve("node"));
            children.add(new ChildJvm(tmp.resolve("node.log"), List.of("-Xmx256m"), Main.class, "banyandb-node",
                "--listen=" + node, "--dir=" + dir));
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20))
                .until(() -> ReceiverLayout.readCommits(dir).size() >= PARTS / 3);
            int committedAtKill = ReceiverLayout.readCommits(dir).size();
            children.get(0).kill();

            // Then every bundle is committed, none lost, and the node's backlog is empty
            await().atMost(Duration.ofSeconds(180)).untilAsserted(() -> {
                Map<Long, Integer> counts = counts(dir);
                assertThat(counts).hasSize(PARTS);
                var status = StatusCommand.read(KafkaSettings.of(KAFKA.bootstrapServers()), Duration.ofSeconds(10), Topics.defaults());
                assertThat(status).containsKey(node);
                assertThat(status.get(node).pendingParts()).isZero();
            });
            Map<Long, Integer> counts = counts(dir);
            long duplicates = counts.values().stream().mapToLong(c -> c - 1).sum();
            Map<String, Integer> byReplayer = new HashMap<>();
            KafkaReads.readToEnd(KafkaSettings.of(KAFKA.bootstrapServers()), Duration.ofSeconds(10), Topics.defaults().completions(),
                r -> {
                    try {
                        var c = Codecs.COMPLETION.decode(r.value());
                        if (c.node().equals(node)) {
                            byReplayer.merge(c.replayer() + "/" + c.outcome(), 1, Integer::sum);
                        }
                    } catch (InvalidRecordException e) {
                        throw new AssertionError("unreadable completion", e);
                    }
                });
            System.out.println("banyandb replayer-kill: bundles=" + PARTS + " committedAtKill=" + committedAtKill + " commits="
                + ReceiverLayout.readCommits(dir).size() + " duplicates=" + duplicates + " duplicatedBundles="
                + counts.values().stream().filter(c -> c > 1).count() + " completions=" + byReplayer);
            assertThat(committedAtKill).as("killed mid-drain").isLessThan(PARTS);
            assertThat(counts.values()).allMatch(c -> c >= 1);
        } finally {
            for (ChildJvm c : children) {
                c.close();
            }
            run.requestStop();
        }
        assertThat(run.exitCode(Duration.ofSeconds(60))).isZero();
    }

    private static Map<Long, Integer> counts(Path dir) throws Exception {
        Map<Long, Integer> counts = new HashMap<>();
        for (ReceiverLayout.Commit c : ReceiverLayout.readCommits(dir)) {
            counts.merge(c.senderPartId(), 1, Integer::sum);
        }
        return counts;
    }
}
