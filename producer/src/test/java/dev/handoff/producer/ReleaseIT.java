package dev.handoff.producer;

import static dev.handoff.producer.Fixtures.A;
import static dev.handoff.producer.Fixtures.B;
import static dev.handoff.producer.Fixtures.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.handoff.protocol.Completion;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.Release;
import dev.handoff.protocol.json.Codecs;
import dev.handoff.testkit.SharedKafkaTest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class ReleaseIT extends SharedKafkaTest {
    private Bundle bundle(PartKey part) throws Exception {
        Path core = Fixtures.typeDir(tmp.resolve("src-" + part.partIdHex()), "core", Map.of("a.bin", bytes(2_000, 1)));
        return Bundle.of(part, new Bundle.Type("core", core, Map.of()));
    }

    private void complete(ProducerSettings settings, PartKey part, String... nodes) throws Exception {
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(KAFKA.clientProps(), new StringSerializer(), new ByteArraySerializer())) {
            for (String node : nodes) {
                Completion c = new Completion(node, part, Completion.Outcome.DELIVERED, "replayer-1", 1,
                    settings.topics().node(node), 0, 0, 1);
                p.send(new ProducerRecord<>(settings.topics().completions(), node, Codecs.COMPLETION.encode(c))).get();
            }
        }
    }

    private void release(ProducerSettings settings, PartKey part) throws Exception {
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(KAFKA.clientProps(), new StringSerializer(), new ByteArraySerializer())) {
            p.send(new ProducerRecord<>(settings.topics().released(), part.liaison(),
                Codecs.RELEASE.encode(new Release(part.liaison(), part)))).get();
        }
    }

    @Test
    void shouldDeleteAReleasedBundleAndThenAnswerNotFound() throws Exception {
        // Given a bundle stored for A and B, fetchable
        ProducerSettings settings = Fixtures.settings(KAFKA, tmp.resolve("store"), "gc1").build();
        PartKey part = new PartKey("gc1", "g", 0, 1L);
        Bundle bundle = bundle(part);
        try (HandoffProducer producer = Fixtures.startedWith(settings, bundle, List.of(A, B))) {
            assertThat(FetchClient.fetch(producer.advertisedAddress(), part, 0)).containsKey("core/a.bin");

            // When both nodes completed it and the topology released it
            complete(settings, part, A, B);
            release(settings, part);

            // Then the bundle is deleted, Fetch answers NOT_FOUND, the space is free and the liaison's file remains
            Path dir = settings.storeDir().resolve("gc1/g/0/0000000000000001");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(dir).doesNotExist());
            assertThatThrownBy(() -> FetchClient.fetch(producer.advertisedAddress(), part, 0))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                    e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
            assertThat(producer.usedBytes()).isZero();
            assertThat(bundle.types().get(0).directory().resolve("a.bin")).hasSize(2_000);
        }
    }

    @Test
    void shouldKeepABundleReleasedBeforeAnAddedNodeCompleted() throws Exception {
        // Given a bundle for A, completed by A, then re-enqueued for B
        ProducerSettings settings = Fixtures.settings(KAFKA, tmp.resolve("store"), "gc2").build();
        PartKey part = new PartKey("gc2", "g", 0, 2L);
        Path dir = settings.storeDir().resolve("gc2/g/0/0000000000000002");
        try (HandoffProducer producer = Fixtures.started(settings)) {
            producer.enqueue(bundle(part), List.of(A));
            producer.enqueue(bundle(part), List.of(B));

            // When a release computed from A's record alone arrives
            complete(settings, part, A);
            release(settings, part);

            // Then the release is recorded but the bundle stays until B completed too
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(Manifest.fromJson(Files.readAllBytes(dir.resolve(StoreLayout.MANIFEST))).released()).isTrue());
            assertThat(FetchClient.fetch(producer.advertisedAddress(), part, 0)).containsKey("core/a.bin");
            complete(settings, part, B);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(dir).doesNotExist());
        }
    }

    @Test
    void shouldApplyReleasesThatArrivedWhileTheProducerWasDown() throws Exception {
        // Given a stored bundle and a stopped producer
        ProducerSettings settings = Fixtures.settings(KAFKA, tmp.resolve("store"), "gc3").build();
        PartKey part = new PartKey("gc3", "g", 0, 3L);
        Fixtures.startedWith(settings, bundle(part), List.of(A)).close();

        // When it is completed and released while down, and the producer starts again
        complete(settings, part, A);
        release(settings, part);
        try (HandoffProducer producer = Fixtures.started(settings)) {
            // Then the bundle is deleted
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(settings.storeDir().resolve("gc3/g/0/0000000000000003")).doesNotExist();
                assertThat(producer.usedBytes()).isZero();
            });
        }
    }
}
