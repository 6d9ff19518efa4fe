package dev.handoff.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handoff.banyandb.CopyCheck;
import dev.handoff.banyandb.ReceiverLayout;
import dev.handoff.banyandb.SampleParts;
import dev.handoff.protocol.NodeStatus;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.common.HandoffHeaders;
import dev.handoff.protocol.common.KafkaSettings;
import dev.handoff.testkit.ChildJvm;
import dev.handoff.testkit.FreePorts;
import dev.handoff.testkit.KafkaClusterExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * BanyanDB-native delivery end to end on a real broker: {@code handoff run --sink banyandb} (topology, producer,
 * replayer), parts enqueued with {@code handoff enqueue --layout banyandb} from a BanyanDB liaison layout, and
 * {@code handoff banyandb-node} conformance receivers as separate processes.
 */
class BanyanDbDeliveryIT {
    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.shared();
    private static final String GROUP = "sw_trace";
    private static final List<String> RULES = List.of("duration", "timestamp");
    private static final int SPANS = 2 * 1024 * 1024 + 123_457;  // spans.bin spans three 1 MiB chunks

    @TempDir
    static Path tmp;
    private static int producerPort;
    private static int enqueuePort;
    private static BackgroundRun run;
    private static final List<ChildJvm> CHILDREN = new ArrayList<>();

    @BeforeAll
    static void startRun() throws Exception {
        int[] ports = FreePorts.take(2);
        producerPort = ports[0];
        enqueuePort = ports[1];
        Files.createDirectories(tmp.resolve("liaison"));
        run = BackgroundRun.start("--bootstrap-servers=" + KAFKA.bootstrapServers(),
            "--data-dir=" + tmp.resolve("data"), "--producer-port=" + producerPort, "--enqueue-port=" + enqueuePort, "--enqueue-root=" + tmp.resolve("liaison"),
            "--sink=banyandb").awaitStarted(Duration.ofSeconds(90));
        assertThat(run.isDone()).as("run: %s", run.output()).isFalse();
    }

    @AfterAll
    static void stopRun() throws Exception {
        for (ChildJvm c : CHILDREN) {
            c.close();
        }
        if (run != null) {
            run.requestStop();
            assertThat(run.exitCode(Duration.ofSeconds(60))).isZero();
        }
    }

    private static ChildJvm receiver(int port, Path dir, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("banyandb-node", "--listen=localhost:" + port, "--dir=" + dir));
        args.addAll(List.of(extra));
        Files.createDirectories(dir);
        ChildJvm child = new ChildJvm(dir.resolveSibling(dir.getFileName() + ".log"), List.of("-Xmx256m"), Main.class,
            args.toArray(String[]::new));
        CHILDREN.add(child);
        await().atMost(Duration.ofSeconds(60)).until(() -> child.lines().stream().anyMatch(l -> l.contains("serving SyncPart on"))
            || !child.isAlive());
        assertThat(child.isAlive()).as("receiver log: %s", child.lines()).isTrue();
        return child;
    }

    private static Path liaisonPart(int shard, long id) throws Exception {
        return SampleParts.write(tmp.resolve("liaison"), GROUP, shard, id, RULES, SPANS, id);
    }

    private static void enqueue(Path core, String node) {
        CliRun r = CliRun.of("enqueue", "--layout=banyandb", "--part-dir=" + core, "--liaison=liaison-0", "--nodes=" + node,
            "--producer=localhost:" + enqueuePort);
        assertThat(r.code()).as("enqueue: %s%s", r.out(), r.err()).isZero();
        assertThat(r.out()).contains("enqueued liaison-0/" + GROUP + "/");
    }

    private static List<ReceiverLayout.Commit> commitsOf(Path dir, int shard, long id) throws Exception {
        return ReceiverLayout.readCommits(dir).stream().filter(c -> c.shard() == shard && c.senderPartId() == id).toList();
    }

    private static void assertDeliveredOnce(Path dir, int shard, long id, Path core) throws Exception {
        List<ReceiverLayout.Commit> commits = commitsOf(dir, shard, id);
        assertThat(commits).as("commits of %s", id).hasSize(1);
        assertThat(commits.get(0).types()).containsExactly("core", "duration", "timestamp");
        assertThat(CopyCheck.differences(core, commits.get(0), dir)).isEmpty();
    }

    @Test
    void shouldDeliverEveryBundleWithItsSidxPartsInOneSessionOnceTheNodeIsBack() throws Exception {
        // Given a BanyanDB data node that is down, and three parts written meanwhile on two shards
        int port = FreePorts.take(1)[0];
        String node = "localhost:" + port;
        List<Path> cores = List.of(liaisonPart(0, 0x21), liaisonPart(0, 0x22), liaisonPart(1, 0x23));

        // When they are enqueued from the liaison's layout
        for (Path core : cores) {
            enqueue(core, node);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, NodeStatus> status = StatusCommand.read(KafkaSettings.of(KAFKA.bootstrapServers()), Duration.ofSeconds(10), Topics.defaults());
            assertThat(status.get(node)).isNotNull();
            assertThat(status.get(node).pendingParts()).isEqualTo(3);
        });

        // And the node comes up
        Path dir = tmp.resolve("node-drain");
        ChildJvm receiver = receiver(port, dir);

        // Then every bundle is committed exactly once, core and both sidx parts together, byte-equal, metadata intact
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            assertThat(receiver.isAlive()).isTrue();
            assertDeliveredOnce(dir, 0, 0x21, cores.get(0));
            assertDeliveredOnce(dir, 0, 0x22, cores.get(1));
            assertDeliveredOnce(dir, 1, 0x23, cores.get(2));
        });
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(StatusCommand.read(KafkaSettings.of(
            KAFKA.bootstrapServers()), Duration.ofSeconds(10), Topics.defaults()).get(node).pendingParts()).isZero());
    }

    @Test
    void shouldRetryTheWholeBundleAfterAChecksumMismatchAndAfterServerBusy() throws Exception {
        // Given a node whose first session sees a corrupted chunk and whose second is refused busy
        int port = FreePorts.take(1)[0];
        Path dir = tmp.resolve("node-faults");
        ChildJvm receiver = receiver(port, dir, "--test-corrupt-sessions=1", "--test-busy-sessions=1", "--test-fault-chunk=2");
        Path core = liaisonPart(0, 0x31);

        // When a bundle is handed off to it
        enqueue(core, "localhost:" + port);

        // Then it arrives once and whole, after both faults hit
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertDeliveredOnce(dir, 0, 0x31, core));
        List<String> log = receiver.lines();
        assertThat(log).anyMatch(l -> l.contains("test fault: chunk corrupted"));
        assertThat(log).anyMatch(l -> l.contains("test fault: server busy"));
        try (var files = Files.walk(dir)) {
            assertThat(files.filter(p -> p.getFileName().toString().endsWith(".staging"))).isEmpty();
        }
    }

    @Test
    void shouldParkABundleForANodeOfAnotherBanyanDbVersionNamingBothVersions() throws Exception {
        // Given a node running BanyanDB 0.9
        int port = FreePorts.take(1)[0];
        String node = "localhost:" + port;
        Path dir = tmp.resolve("node-old");
        receiver(port, dir, "--api-version=0.9", "--file-format-version=1.3.0", "--compatible-file-format-versions=1.3.0");
        Path core = liaisonPart(2, 0x41);

        // When a bundle is handed off to it
        enqueue(core, node);

        // Then it is parked as incompatible with both sides' versions in the error, and nothing was committed
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            List<String> errors = new ArrayList<>();
            KafkaReads.readToEnd(KafkaSettings.of(KAFKA.bootstrapServers()), Duration.ofSeconds(10), Topics.defaults().parked(), r -> {
                if ("incompatible".equals(HandoffHeaders.text(r.headers(), HandoffHeaders.REASON))) {
                    errors.add(HandoffHeaders.text(r.headers(), HandoffHeaders.ERROR));
                }
            });
            assertThat(errors).anyMatch(e -> e.contains("sent api 0.10, file format 1.5.0") && e.contains("node api 0.9")
                && e.contains("file format 1.3.0"));
        });
        assertThat(ReceiverLayout.readCommits(dir)).isEmpty();
    }
}
