package dev.handoff.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handoff.datanode.DataNode;
import dev.handoff.datanode.DataNodeSettings;
import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.PartTypeEntry;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.common.KafkaSettings;
import dev.handoff.protocol.common.TopicAdmin;
import dev.handoff.protocol.json.Codecs;
import dev.handoff.replayer.Replayer;
import dev.handoff.replayer.ReplayerSettings;
import dev.handoff.testkit.FakePartStore;
import dev.handoff.testkit.KafkaClusterExtension;
import dev.handoff.testkit.PartFiles;
import dev.handoff.topology.TopologyApp;
import dev.handoff.topology.TopologySettings;
import dev.handoff.testkit.SharedKafkaTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code handoff throttle} end to end on a real broker: the command goes through the control topic and the running
 * topology into the node's status, and a running replayer applies it to the bundle it is streaming and to the
 * bundles it starts, without a restart; {@code status} shows it; {@code --clear} brings the startup options back.
 */
class ThrottleIT extends SharedKafkaTest {
    private static final Logger LOGGER = LoggerFactory.getLogger(ThrottleIT.class);
    /** The replayer's startup limits. */
    private static final long STARTUP_BYTES_PER_SEC = 256 * 1024;
    private static final long STARTUP_PARTS_PER_SEC = 2;
    private static final long BIG_BUNDLE = 8L << 20;

    private String prefix;
    private Topics topics;
    private KafkaSettings kafka;
    private final List<AutoCloseable> owned = new ArrayList<>();
    private FakePartStore store;
    private DataNode node;
    private KafkaProducer<String, byte[]> producer;
    private SimpleMeterRegistry registry;

    @BeforeEach
    void startStack() throws Exception {
        prefix = KafkaClusterExtension.unique("throttle");
        topics = new Topics(prefix);
        kafka = KafkaSettings.of(KAFKA.bootstrapServers());
        String appId = KafkaClusterExtension.unique("topology");
        TopologyApp topology = own(new TopologyApp(TopologySettings.builder(kafka).topicPrefix(prefix).applicationId(appId)
            .stateDir(tmp.resolve("topology")).replicationFactor(1).internalPartitions(1)
            .commitInterval(Duration.ofMillis(100)).build(), new SimpleMeterRegistry()));
        topology.start();
        await().atMost(Duration.ofSeconds(90)).until(topology::isReady);
        store = own(new FakePartStore(Files.createDirectories(tmp.resolve("store"))));
        node = own(new DataNode(DataNodeSettings.builder(tmp.resolve("node")).listen("localhost", 0).build()).start());
        try (Admin admin = Admin.create(kafka.admin())) {
            TopicAdmin.ensure(admin, topics.node(node.address()), TopicAdmin.TopicSettings.single(), TopicAdmin.nodeTopicConfigs());
        }
        producer = own(new KafkaProducer<>(kafka.producer("it"), new StringSerializer(), new ByteArraySerializer()));
        registry = new SimpleMeterRegistry();
        Replayer replayer = own(new Replayer(ReplayerSettings.builder(kafka).topicPrefix(prefix)
            .groupId(KafkaClusterExtension.unique("replayers")).topologyApplicationId(appId)
            .maxBytesPerSec(STARTUP_BYTES_PER_SEC).maxPartsPerSec(STARTUP_PARTS_PER_SEC).chunkSize(64 * 1024)
            .backoff(Duration.ofMillis(200), Duration.ofSeconds(1)).build(), registry, Clock.systemUTC()));
        replayer.start();
        await().atMost(Duration.ofSeconds(60)).until(replayer::isReady);
    }

    @AfterEach
    void stopStack() throws Exception {
        for (int i = owned.size() - 1; i >= 0; i--) {
            owned.get(i).close();
        }
    }

    private <T extends AutoCloseable> T own(T closeable) {
        owned.add(closeable);
        return closeable;
    }

    @Test
    void shouldChangeTheRateOfTheRunningReplayAndShowItInStatus() throws Exception {
        // Given an 8 MiB bundle streaming at the startup limit of 256 KiB/s (32 s for the whole bundle)
        EnqueueRecord big = enqueue(1, Map.of("data.bin", BIG_BUNDLE));
        await().atMost(Duration.ofSeconds(30))
            .until(() -> registry.get("handoff.replay.inflight").gauge().value() == 1.0);
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
        assertThat(node.appliedCount(big.part())).as("still streaming at the startup rate").isZero();

        // When an operator lifts the byte limit of that node
        long commanded = System.nanoTime();
        CliRun lifted = run("throttle", node.address(), "--max-bytes-per-sec=0");

        // Then the bundle in progress finishes long before the old rate would have let it (30 s more)
        assertThat(lifted.code()).as(lifted.err()).isZero();
        assertThat(lifted.out()).contains("throttle " + node.address() + ": default parts/s, unlimited bytes/s");
        await().atMost(Duration.ofSeconds(15)).until(() -> node.appliedCount(big.part()) == 1);
        double bigSeconds = (System.nanoTime() - commanded) / 1e9;
        // And status shows the throttle in force
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(statusLine()).contains("unlimited bytes/s"));

        // Given 40 small bundles, started at the startup limit of 2 per second
        List<EnqueueRecord> small = new ArrayList<>();
        long enqueued = System.nanoTime();
        for (int i = 0; i < 40; i++) {
            small.add(enqueue(100 + i, Map.of("data.bin", 4096L)));
        }
        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
        long before = applied(small);
        double drained = (System.nanoTime() - enqueued) / 1e9;
        assertThat(before).as("%.1f s at 2/s plus the 1 s burst", drained)
            .isLessThanOrEqualTo(STARTUP_PARTS_PER_SEC * (1 + (long) Math.ceil(drained)));

        // When the parts limit is raised while they drain
        commanded = System.nanoTime();
        assertThat(run("throttle", node.address(), "--max-parts-per-sec=100", "--max-bytes-per-sec=0").code()).isZero();

        // Then the rest drain at the new rate, far sooner than the 15 s the old one needed
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
            .until(() -> applied(small) >= before + 5);
        double rateSeconds = (System.nanoTime() - commanded) / 1e9;
        await().atMost(Duration.ofSeconds(10)).until(() -> applied(small) == small.size());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(statusLine()).contains("100 parts/s"));
        LOGGER.atInfo().addKeyValue("bigBundleDoneAfterSeconds", String.format("%.2f", bigSeconds))
            .addKeyValue("fiveMorePartsAfterSeconds", String.format("%.2f", rateSeconds))
            .log("throttle applied to the running replay");

        // When the throttle is cleared
        assertThat(run("throttle", node.address(), "--clear").code()).isZero();

        // Then status shows none in force
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(statusLine()).endsWith(" -"));
    }

    @Test
    void shouldThrottleEveryNodeWithAStatusWithAll() throws Exception {
        // Given two nodes with a status (one of them only known from a pause)
        assertThat(run("pause", "dn-other:1").code()).isZero();
        enqueue(7, Map.of("data.bin", 1024L));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
            assertThat(StatusCommand.read(kafka, Duration.ofSeconds(10), topics).keySet())
                .containsExactlyInAnyOrder(node.address(), "dn-other:1"));

        // When every node is throttled
        CliRun r = run("throttle", "--all", "--max-parts-per-sec=7");

        // Then both statuses carry the throttle
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("throttle dn-other:1: 7 parts/s").contains("throttle " + node.address() + ": 7 parts/s");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
            assertThat(StatusCommand.read(kafka, Duration.ofSeconds(10), topics).values())
                .allSatisfy(s -> assertThat(s.throttle()).isEqualTo(new dev.handoff.protocol.Throttle(7L, null))));
    }

    private EnqueueRecord enqueue(long partId, Map<String, Long> files) throws Exception {
        PartKey key = new PartKey("liaison-1", "g", 0, partId);
        PartTypeEntry core = PartFiles.writeRandomType(store.bundleDir(key), "core", new java.util.TreeMap<>(files),
            new Random(partId));
        long bytes = core.bytes();
        EnqueueRecord r = new EnqueueRecord(node.address(), List.of(node.address()), key.liaison(), store.address(),
            key.group(), key.shard(), key.partId(), List.of(new PartTypeEntry("core", core.files(), Map.of())), bytes,
            System.currentTimeMillis(), null);
        producer.send(new ProducerRecord<>(topics.node(node.address()), key.groupShard(), Codecs.ENQUEUE.encode(r))).get();
        return r;
    }

    private long applied(List<EnqueueRecord> records) {
        return records.stream().filter(r -> node.appliedCount(r.part()) > 0).count();
    }

    private String statusLine() {
        CliRun status = run("status");
        return status.out().lines().filter(l -> l.startsWith(node.address())).findFirst().orElse("").trim();
    }

    private CliRun run(String... args) {
        return CliRun.of(CliRun.kafka(KAFKA.bootstrapServers(), prefix), args);
    }
}
