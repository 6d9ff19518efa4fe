package dev.handoff.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.FileEntry;
import dev.handoff.protocol.PartTypeEntry;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.common.TopicAdmin;
import dev.handoff.protocol.json.Codecs;
import dev.handoff.testkit.KafkaClusterExtension;
import dev.handoff.testkit.SharedKafkaTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code handoff wait NODE} against a real broker: the sync point comes from the node topic's offsets at TIME and the
 * replayer group's committed offsets (set here the way a replayer's transaction commits them, in the group).
 */
class WaitCommandIT extends SharedKafkaTest {
    private static final String NODE = "dn-a:1";
    private static final String OTHER = "dn-b:1";

    private String prefix;
    private String group;
    private Topics topics;

    @BeforeEach
    void fresh() throws Exception {
        prefix = KafkaClusterExtension.unique("wait");
        group = KafkaClusterExtension.unique("replayers");
        topics = new Topics(prefix);
        try (Admin admin = Admin.create(KAFKA.clientProps())) {
            TopicAdmin.ensure(admin, topics.node(NODE), new TopicAdmin.TopicSettings(2, (short) 1, null),
                TopicAdmin.nodeTopicConfigs());
            TopicAdmin.ensure(admin, topics.node(OTHER), TopicAdmin.TopicSettings.single(), TopicAdmin.nodeTopicConfigs());
        }
    }

    private CliRun run(String... args) {
        return CliRun.of(CliRun.kafka(KAFKA.bootstrapServers(), prefix, "--group-id=" + group), args);
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(KAFKA.clientProps(), new StringSerializer(), new ByteArraySerializer());
    }

    private static EnqueueRecord record(String node, long partId, long bytes, long enqueuedAt) {
        return new EnqueueRecord(node, List.of(node), "liaison-a", "liaison-a:1", "g", 0, partId,
            List.of(new PartTypeEntry("core", List.of(new FileEntry("primary.bin", bytes, 7)), Map.of())), bytes,
            enqueuedAt, null);
    }

    private RecordMetadata send(KafkaProducer<String, byte[]> p, String node, int partition, EnqueueRecord r)
        throws Exception {
        return p.send(new ProducerRecord<>(topics.node(node), partition, "g/0", Codecs.ENQUEUE.encode(r))).get();
    }

    private void commit(int partition, long offset) throws Exception {
        try (Admin admin = Admin.create(KAFKA.clientProps())) {
            admin.alterConsumerGroupOffsets(group, Map.of(new TopicPartition(topics.node(NODE), partition),
                new OffsetAndMetadata(offset))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldTimeOutWithWhatIsPendingThenReturnOnceTheGroupCommittedPastTheSyncPoint() throws Exception {
        // Given three records for NODE over two partitions (1000 + 2000 bytes on 0, 500 on 1), none completed
        long enqueuedAt = System.currentTimeMillis() - 90_000;
        try (KafkaProducer<String, byte[]> p = producer()) {
            send(p, NODE, 0, record(NODE, 1, 1000, enqueuedAt));
            send(p, NODE, 0, record(NODE, 2, 2000, enqueuedAt + 1000));
            send(p, NODE, 1, record(NODE, 3, 500, enqueuedAt + 2000));
        }
        // When waiting with a short timeout
        CliRun timedOut = run("wait", NODE, "--timeout=1s");
        // Then exit 1 with the count, bytes and oldest age pending
        assertThat(timedOut.code()).as(timedOut.err()).isEqualTo(1);
        assertThat(timedOut.out()).contains("timeout after 1s").contains("pending 3 records").contains("3.4 KiB")
            .containsPattern("oldest (89|9\\d|1\\d\\d)s old");

        // When the group completes partition 0 only
        commit(0, 2);
        CliRun half = run("wait", NODE, "--timeout=1s");
        // Then one record (500 B) is still pending
        assertThat(half.code()).isEqualTo(1);
        assertThat(half.out()).contains("pending 1 records").contains("500 B");

        // When partition 1 is completed too, the wait returns 0
        commit(1, 1);
        CliRun done = run("wait", NODE, "--timeout=10s");
        assertThat(done.code()).as(done.out() + done.err()).isZero();
        assertThat(done.out()).contains("done: every record enqueued before");
    }

    @Test
    void shouldReturnWhileRecordsKeepArrivingForOtherNodesAndAfterTheSyncPoint() throws Exception {
        // Given two records for NODE before TIME and one after it
        try (KafkaProducer<String, byte[]> p = producer()) {
            send(p, NODE, 0, record(NODE, 1, 10, System.currentTimeMillis()));
            send(p, NODE, 0, record(NODE, 2, 10, System.currentTimeMillis()));
            // record timestamps are milliseconds: TIME must fall strictly between them
            long time = clockPast(System.currentTimeMillis());
            clockPast(time);
            send(p, NODE, 0, record(NODE, 3, 10, System.currentTimeMillis()));
            // And records keep arriving for another node while the wait runs
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger sentOther = new AtomicInteger();
            CompletableFuture<Void> other = CompletableFuture.runAsync(() -> {
                try {
                    while (!stop.get()) {
                        send(p, OTHER, 0, record(OTHER, sentOther.incrementAndGet(), 10, System.currentTimeMillis()));
                        Thread.sleep(20);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try {
                CompletableFuture<CliRun> waiting = CompletableFuture.supplyAsync(() ->
                    run("wait", NODE, "--enqueued-before=" + time, "--timeout=60s"));
                // When the group completes the two records before TIME (not the third, nothing of OTHER)
                // (and not before: it keeps waiting throughout 1.5 s while they are pending)
                await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
                    .until(() -> !waiting.isDone());
                commit(0, 2);
                // Then the wait returns 0 while OTHER's records are still arriving and none of them is completed
                CliRun done = waiting.get(30, TimeUnit.SECONDS);
                assertThat(done.code()).as(done.out() + done.err()).isZero();
                assertThat(other).isNotDone();
                assertThat(sentOther.get()).isPositive();
                // And waiting for everything until now still sees the third record
                CliRun now = run("wait", NODE, "--timeout=500ms");
                assertThat(now.code()).isEqualTo(1);
                assertThat(now.out()).contains("pending 1 records");
            } finally {
                stop.set(true);
                other.get(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Waits until the wall clock has passed {@code millis}; returns the time it reads then. */
    private static long clockPast(long millis) {
        await().pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(1)).until(() -> System.currentTimeMillis() > millis);
        return System.currentTimeMillis();
    }

    @Test
    void shouldReturnAtOnceForANodeNothingWasEnqueuedFor() {
        CliRun r = run("wait", "dn-never:1", "--timeout=5s");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("nothing was ever enqueued");
    }

    @Test
    void shouldRefuseBadInputWithUsageExitCode() {
        CliRun future = run("wait", NODE, "--enqueued-before=" + (System.currentTimeMillis() + 3_600_000));
        assertThat(future.code()).isEqualTo(2);
        assertThat(future.err()).contains("--enqueued-before").contains("future");
        CliRun garbage = run("wait", NODE, "--enqueued-before=yesterday");
        assertThat(garbage.code()).isEqualTo(2);
        assertThat(garbage.err()).contains("--enqueued-before").contains("ISO-8601");
        CliRun node = run("wait", "nope");
        assertThat(node.code()).isEqualTo(2);
        assertThat(node.err()).contains("NODE").contains("host:port");
    }

    @Test
    void shouldWaitForARunningReplayerWhileAnotherNodeKeepsReceiving() throws Exception {
        // Given `handoff run` (topology, producer, replayer, two data nodes) on the broker, node A paused
        Path parts = Files.createDirectories(tmp.resolve("parts"));
        int[] ports = dev.handoff.testkit.FreePorts.take(2);
        BackgroundRun run = BackgroundRun.start(
            "--bootstrap-servers=" + KAFKA.bootstrapServers(), "--data-dir=" + tmp.resolve("data"),
            "--producer-port=" + ports[0], "--enqueue-port=" + ports[1], "--enqueue-root=" + parts, "--datanodes=2");
        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<Void> other = CompletableFuture.completedFuture(null);
        try {
            run.awaitStarted(Duration.ofSeconds(90));
            Matcher m = Pattern.compile("data nodes (\\S+?),(\\S+?),").matcher(run.output());
            assertThat(m.find()).as("run output: %s", run.output()).isTrue();
            String a = m.group(1);
            String b = m.group(2);
            List<String> defaults = List.of("--bootstrap-servers=" + KAFKA.bootstrapServers());
            assertThat(CliRun.of(defaults, "pause", a).code()).isZero();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(CliRun.of(defaults, "status").out())
                .containsPattern(Pattern.quote(a) + " +\\S+ +yes"));

            // When five parts are handed off for A, and parts keep arriving for B
            for (int i = 1; i <= 5; i++) {
                assertThat(enqueue(parts, 0x100 + i, a, ports[1]).code()).isZero();
            }
            AtomicInteger sentB = new AtomicInteger();
            other = CompletableFuture.runAsync(() -> {
                while (!stop.get()) {
                    if (enqueue(parts, 0x200 + sentB.incrementAndGet(), b, ports[1]).code() != 0) {
                        throw new IllegalStateException("enqueue for " + b + " failed");
                    }
                }
            });

            // Then waiting for A times out with its five records pending, exactly from Kafka
            CliRun pending = CliRun.of(defaults, "wait", a, "--timeout=2s");
            assertThat(pending.code()).as(pending.out() + pending.err()).isEqualTo(1);
            assertThat(pending.out()).contains("pending 5 records");

            // And once A is resumed, the wait returns 0 while B is still receiving parts
            assertThat(CliRun.of(defaults, "resume", a).code()).isZero();
            CliRun done = CliRun.of(defaults, "wait", a, "--timeout=120s");
            assertThat(done.code()).as(done.out() + done.err()).isZero();
            assertThat(other).isNotDone();
            assertThat(sentB.get()).isPositive();
            Path applied = tmp.resolve("data/datanode-1/applied.log");
            assertThat(Files.readString(applied)).contains("liaison-0/g/0/0000000000000105");
        } finally {
            stop.set(true);
            other.get(60, TimeUnit.SECONDS);
            run.requestStop();
        }
        assertThat(run.exitCode(Duration.ofSeconds(60))).isZero();
    }

    private static CliRun enqueue(Path parts, long partId, String node, int enqueuePort) {
        try {
            Path part = parts.resolve(String.format("%016x", partId));
            Files.createDirectories(part.resolve("core"));
            Files.write(part.resolve("core/primary.bin"), new byte[] {1, 2, 3, (byte) partId});
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return CliRun.of(List.of(), "enqueue", "--part-dir=" + parts.resolve(String.format("%016x", partId)),
            "--liaison=liaison-0", "--group=g", "--shard=0", "--nodes=" + node, "--producer=localhost:" + enqueuePort);
    }
}
