package dev.handoff.producer;

import static dev.handoff.producer.Fixtures.A;
import static dev.handoff.producer.Fixtures.B;
import static dev.handoff.producer.Fixtures.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.json.Codecs;
import dev.handoff.testkit.ChildJvm;
import dev.handoff.testkit.KafkaClusterExtension;
import dev.handoff.testkit.SharedKafkaTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class CrashRecoveryIT extends SharedKafkaTest {
    @Test
    void shouldPublishAtStartWhatACrashBetweenLinkAndPublishLeftUnpublished() throws Exception {
        // Given a child JVM that links a bundle for two nodes and dies before publishing
        String prefix = KafkaClusterExtension.unique("crash");
        Path manifest = crashChild("before-publish", prefix);
        assertThat(Manifest.fromJson(Files.readAllBytes(manifest)).unpublished()).containsExactly(A, B);
        Path store = tmp.resolve("store");

        // When a producer starts on the same store
        ProducerSettings settings = ProducerSettings.builder(store, "crashy",
                dev.handoff.protocol.common.KafkaSettings.of(KAFKA.bootstrapServers()))
            .topicPrefix(prefix).listen("localhost", 0).build();
        try (HandoffProducer producer = Fixtures.started(settings)) {
            // Then both records are in their node topics and the manifest says they are published
            for (String node : List.of(A, B)) {
                List<ConsumerRecord<String, byte[]>> records =
                    Fixtures.readTopic(KAFKA, settings.topics().node(node), 1, Duration.ofSeconds(20));
                assertThat(records).hasSize(1);
                EnqueueRecord r = Codecs.ENQUEUE.decode(records.get(0).value());
                assertThat(r.part()).isEqualTo(new PartKey("crashy", "g", 5, 0xabcL));
                assertThat(r.targets()).containsExactly(A, B);
                assertThat(r.source()).isEqualTo(producer.advertisedAddress());
                assertThat(r.bytes()).isEqualTo(4_010);
            }
            assertThat(Manifest.fromJson(Files.readAllBytes(manifest)).unpublished()).isEmpty();
            assertThat(producer.usedBytes()).isEqualTo(4_010);
        }
    }

    @Test
    void shouldPublishAgainAtStartWhatACrashAfterTheAcknowledgementLeftMarkedUnpublished() throws Exception {
        // Given a child JVM that dies after Kafka acknowledged both records, before the manifest said so
        String prefix = KafkaClusterExtension.unique("crash-ack");
        Path manifest = crashChild("after-ack", prefix);
        assertThat(Manifest.fromJson(Files.readAllBytes(manifest)).unpublished()).containsExactly(A, B);
        ProducerSettings settings = ProducerSettings.builder(tmp.resolve("store"), "crashy",
                dev.handoff.protocol.common.KafkaSettings.of(KAFKA.bootstrapServers()))
            .topicPrefix(prefix).listen("localhost", 0).build();
        for (String node : List.of(A, B)) {
            assertThat(Fixtures.readTopic(KAFKA, settings.topics().node(node), 1, Duration.ofSeconds(20))).hasSize(1);
        }

        // When a producer starts on the same store
        try (HandoffProducer producer = Fixtures.started(settings)) {
            // Then each node topic holds the record twice (the window's known duplicate: the receiver is
            // idempotent by PartKey and each record is completed on its own), and the manifest is published
            for (String node : List.of(A, B)) {
                List<ConsumerRecord<String, byte[]>> records =
                    Fixtures.readTopic(KAFKA, settings.topics().node(node), 2, Duration.ofSeconds(20));
                assertThat(records).hasSize(2);
                for (ConsumerRecord<String, byte[]> r : records) {
                    assertThat(Codecs.ENQUEUE.decode(r.value()).part()).isEqualTo(new PartKey("crashy", "g", 5, 0xabcL));
                }
            }
            assertThat(Manifest.fromJson(Files.readAllBytes(manifest)).unpublished()).isEmpty();
            assertThat(producer.usedBytes()).isEqualTo(4_010);
        }
    }

    @Test
    void shouldRemoveAnEnqueueThatCrashedBeforeItsManifestAndFinishAnInterruptedDeletion() throws Exception {
        // Given a bundle directory without a manifest (linked, never acknowledged) and a half-deleted one
        Path store = tmp.resolve("store");
        Path incomplete = Files.createDirectories(store.resolve("crashy/g/1/0000000000000001/core"));
        Files.write(incomplete.resolve("a.bin"), bytes(100, 1));
        Path deleting = Files.createDirectories(store.resolve("crashy/g/1/0000000000000002.deleting/core"));
        Files.write(deleting.resolve("a.bin"), bytes(100, 1));
        ProducerSettings settings = Fixtures.settings(KAFKA, store, "crashy").build();

        // When the producer starts
        try (HandoffProducer producer = Fixtures.started(settings)) {
            // Then both are gone and nothing is counted
            assertThat(store.resolve("crashy/g/1/0000000000000001")).doesNotExist();
            assertThat(store.resolve("crashy/g/1/0000000000000002.deleting")).doesNotExist();
            assertThat(producer.usedBytes()).isZero();
        }
    }

    /** Runs {@link CrashingEnqueueMain} for {@code window} on {@code tmp/store}; returns the bundle's manifest path. */
    private Path crashChild(String window, String prefix) throws Exception {
        Path store = tmp.resolve("store");
        Path core = Fixtures.typeDir(tmp.resolve("src"), "core", Map.of("a.bin", bytes(4_000, 9), "b.bin", bytes(10, 8)));
        try (ChildJvm child = new ChildJvm(tmp.resolve("child.log"), List.of("-Xmx256m"), CrashingEnqueueMain.class,
            window, store.toString(), "crashy", KAFKA.bootstrapServers(), prefix, core.toString(), A, B)) {
            assertThat(child.waitFor(120)).as("child log:%n%s", String.join("\n", child.lines()))
                .isEqualTo(CrashingEnqueueMain.CRASH);
        }
        return store.resolve("crashy/g/5/0000000000000abc/manifest.json");
    }
}
