package dev.handoff.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handoff.protocol.Completion;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.json.Codecs;
import dev.handoff.testkit.KafkaClusterExtension;
import dev.handoff.testkit.SharedKafkaTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

/** The producer's periodic store check on a real broker: its findings reach the {@code handoff.store.check.*} gauges. */
class StoreCheckGaugesIT extends SharedKafkaTest {
    private static final String NODE = "127.0.0.1:9";

    @Test
    void shouldExposeAnOrphanAndAnUnreadableManifestAsGauges() throws Exception {
        // Given a running producer that checks its store every 300 ms against replayer group G
        String group = KafkaClusterExtension.unique("replayers");
        Path store = tmp.resolve("store");
        ProducerSettings settings = Fixtures.settings(KAFKA, store, "liaison-g")
            .storeCheckInterval(Duration.ofMillis(300)).replayerGroupId(group).build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        PartKey part = new PartKey("liaison-g", "g", 0, 5L);
        try (HandoffProducer producer = Fixtures.started(settings, registry)) {
            Path core = Fixtures.typeDir(tmp.resolve("part"), "core", Map.of("primary.bin", new byte[] {1, 2, 3}));
            producer.enqueue(Bundle.of(part, new Bundle.Type("core", core, Map.of())), List.of(NODE));
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(registry.get("handoff.store.check.orphans").gauge().value()).isZero());

            // When the bundle is delivered (offset committed, completion written) but no Release ever comes,
            // and a manifest that does not parse appears in the store
            try (Admin admin = Admin.create(KAFKA.clientProps());
                 KafkaProducer<String, byte[]> p = new KafkaProducer<>(KAFKA.clientProps(), new StringSerializer(),
                     new ByteArraySerializer())) {
                String topic = settings.topics().node(NODE);
                admin.alterConsumerGroupOffsets(group, Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(1)))
                    .all().get(30, TimeUnit.SECONDS);
                p.send(new ProducerRecord<>(settings.topics().completions(), NODE, Codecs.COMPLETION.encode(
                    new Completion(NODE, part, Completion.Outcome.DELIVERED, "replayer:test", 1, topic, 0, 0, 1L)))).get();
            }
            Path bad = Files.createDirectories(store.resolve("liaison-g/g/0/00000000000000ff"));
            Files.writeString(bad.resolve("manifest.json"), "not json");

            // Then the gauges show one orphan (seen by two checks in a row) and one unreadable manifest
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(registry.get("handoff.store.check.orphans").gauge().value()).isEqualTo(1.0);
                assertThat(registry.get("handoff.store.check.unreadable").gauge().value()).isEqualTo(1.0);
            });
            assertThat(registry.get("handoff.store.check.missing").gauge().value()).isZero();
            assertThat(producer.usedBytes()).isEqualTo(3);
        }
    }
}
