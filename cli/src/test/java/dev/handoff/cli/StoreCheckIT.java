package dev.handoff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.producer.Bundle;
import dev.handoff.producer.HandoffProducer;
import dev.handoff.producer.ProducerSettings;
import dev.handoff.protocol.Completion;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.common.KafkaSettings;
import dev.handoff.protocol.json.Codecs;
import dev.handoff.testkit.KafkaClusterExtension;
import dev.handoff.testkit.SharedKafkaTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * {@code handoff store check [--repair]} against a real broker and a store a real producer wrote: a planted orphan (a
 * delivered bundle whose Release was lost), a planted missing bundle and an unreadable manifest are found; the
 * repair deletes the orphan only, and leaves the bundle still pending.
 */
class StoreCheckIT extends SharedKafkaTest {
    private static final String LIAISON = "liaison-c";
    private static final String NODE = "127.0.0.1:9";

    private static CliRun run(String prefix, String group, String... args) {
        return CliRun.of(CliRun.kafka(KAFKA.bootstrapServers(), prefix, "--group-id=" + group), args);
    }

    private Bundle bundle(long partId) throws Exception {
        Path core = Files.createDirectories(tmp.resolve("liaison-data").resolve(Long.toString(partId)).resolve("core"));
        Files.write(core.resolve("primary.bin"), ("part " + partId).getBytes(StandardCharsets.UTF_8));
        return Bundle.of(new PartKey(LIAISON, "g", 0, partId), new Bundle.Type("core", core, Map.of()));
    }

    @Test
    void shouldFindAPlantedOrphanAMissingBundleAndAnUnreadableManifestAndRepairOnlyTheOrphan() throws Exception {
        String prefix = KafkaClusterExtension.unique("check");
        String group = KafkaClusterExtension.unique("replayers");
        Topics topics = new Topics(prefix);
        Path store = tmp.resolve("store");
        PartKey delivered = new PartKey(LIAISON, "g", 0, 1);
        PartKey gone = new PartKey(LIAISON, "g", 0, 2);
        PartKey pending = new PartKey(LIAISON, "g", 0, 3);
        // Given three bundles a real producer stored and published for one node, and the producer stopped
        try (HandoffProducer producer = new HandoffProducer(ProducerSettings.builder(store, LIAISON,
                KafkaSettings.of(KAFKA.bootstrapServers())).topicPrefix(prefix).listen("localhost", 0)
            .storeLimits(null, 95.0).build(), new SimpleMeterRegistry(), Clock.systemUTC())) {
            producer.start();
            for (long id = 1; id <= 3; id++) {
                producer.enqueue(bundle(id), List.of(NODE));
            }
        }
        // And the first was delivered (offset committed, completion written) but its Release was lost: an orphan
        try (Admin admin = Admin.create(KAFKA.clientProps());
             KafkaProducer<String, byte[]> p = new KafkaProducer<>(KAFKA.clientProps(), new StringSerializer(),
                 new ByteArraySerializer())) {
            admin.alterConsumerGroupOffsets(group, Map.of(new TopicPartition(topics.node(NODE), 0),
                new OffsetAndMetadata(1))).all().get(30, TimeUnit.SECONDS);
            p.send(new ProducerRecord<>(topics.completions(), NODE, Codecs.COMPLETION.encode(new Completion(NODE,
                delivered, Completion.Outcome.DELIVERED, "replayer:test", 1, topics.node(NODE), 0, 0, 1L)))).get();
        }
        // And the second bundle's directory is gone from the store, and a manifest that does not parse is planted
        Path shard = store.resolve(LIAISON).resolve("g").resolve("0");
        deleteTree(shard.resolve(String.format("%016x", gone.partId())));
        Path garbage = Files.createDirectories(shard.resolve("00000000000000ff"));
        Files.writeString(garbage.resolve("manifest.json"), "{\"v\":1, not json");

        // When the store is checked
        CliRun check = run(prefix, group, "store", "check", "--store-dir=" + store);

        // Then each plant is listed, the pending bundle is not, and the exit code says there are findings
        assertThat(check.code()).as(check.out() + check.err()).isEqualTo(1);
        assertThat(check.out()).containsPattern("orphan +" + delivered + " +every target")
            .containsPattern("missing +" + gone + " +record " + topics.node(NODE) + "/0@1")
            .containsPattern("unreadable +- +.*00000000000000ff/manifest.json")
            .doesNotContain(pending.toString())
            .contains("store check: 2 bundles, 2 pending records: 1 orphan, 0 lost, 1 missing, 0 differs, 1 unreadable");

        // When repaired after a grace period
        CliRun repair = run(prefix, group, "store", "check", "--store-dir=" + store, "--repair", "--grace=1s");

        // Then only the orphan is deleted; the pending bundle stays, and what cannot be repaired is still listed
        assertThat(repair.out()).contains("store check: deleted orphan " + delivered);
        assertThat(Files.exists(shard.resolve(String.format("%016x", delivered.partId())))).isFalse();
        assertThat(Files.exists(shard.resolve(String.format("%016x", pending.partId())).resolve("manifest.json"))).isTrue();
        assertThat(repair.code()).isEqualTo(1);
        assertThat(repair.out()).contains("1 bundles, 2 pending records: 0 orphan, 0 lost, 1 missing, 0 differs, 1 unreadable");
    }

    @Test
    void shouldReportAStoreThatMatchesKafkaAsClean() throws Exception {
        String prefix = KafkaClusterExtension.unique("clean");
        String group = KafkaClusterExtension.unique("replayers");
        Path store = tmp.resolve("store");
        try (HandoffProducer producer = new HandoffProducer(ProducerSettings.builder(store, LIAISON,
                KafkaSettings.of(KAFKA.bootstrapServers())).topicPrefix(prefix).listen("localhost", 0)
            .storeLimits(null, 95.0).build(), new SimpleMeterRegistry(), Clock.systemUTC())) {
            producer.start();
            producer.enqueue(bundle(7), List.of(NODE));
            // And --repair refuses while the store's producer runs
            CliRun refused = run(prefix, group, "store", "check", "--store-dir=" + store, "--repair");
            assertThat(refused.code()).isEqualTo(1);
            assertThat(refused.err()).contains("is running").contains(LIAISON);
        }
        CliRun check = run(prefix, group, "store", "check", "--store-dir=" + store);
        assertThat(check.code()).as(check.out() + check.err()).isZero();
        assertThat(check.out()).contains("1 bundles, 1 pending records: 0 orphan, 0 lost, 0 missing, 0 differs, 0 unreadable");
    }

    private static void deleteTree(Path dir) throws Exception {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
