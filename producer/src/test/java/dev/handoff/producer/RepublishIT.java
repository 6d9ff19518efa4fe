package dev.handoff.producer;

import static dev.handoff.producer.Fixtures.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.json.Codecs;
import dev.handoff.protocol.common.KafkaSettings;
import dev.handoff.testkit.KafkaClusterExtension;
import dev.handoff.testkit.ProcessKafkaCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A publish that fails while the broker is dead (SIGKILL) leaves the bundle stored, and the running
 * producer publishes it once the broker is back, without another enqueue. (Whether the failed publish
 * timed out on its acknowledgement, replacing the client, or on metadata depends on when the client
 * noticed the death; both are retriable and both end published.)
 */
class RepublishIT {
    private static final String NODE = "127.0.0.1:31001";

    @TempDir
    Path tmp;

    @Test
    void shouldRepublishABundleWhosePublishFailedOnceTheBrokerIsBack() throws Exception {
        // Given a producer that published one bundle to a node topic on a broker process
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (ProcessKafkaCluster kafka = ProcessKafkaCluster.start(1)) {
            ProducerSettings settings = ProducerSettings.builder(tmp.resolve("store"), "liaison-r",
                    KafkaSettings.of(kafka.bootstrapServers()))
                .topicPrefix(KafkaClusterExtension.unique("republish"))
                .listen("localhost", 0)
                .publishTimeout(Duration.ofSeconds(3))
                .republishInterval(Duration.ofMillis(500))
                .build();
            String topic = settings.topics().node(NODE);
            try (HandoffProducer producer = Fixtures.started(settings, registry)) {
                producer.enqueue(bundle(1), List.of(NODE));

                // When the broker dies and the next enqueue cannot be acknowledged
                kafka.stopBroker(0);
                assertThatThrownBy(() -> producer.enqueue(bundle(2), List.of(NODE)))
                    .isInstanceOf(PublishException.class)
                    .satisfies(e -> assertThat(((PublishException) e).retriable()).isTrue());
                assertThat(registry.get("handoff.enqueue.unpublished").gauge().value()).isEqualTo(1.0);

                // And the broker comes back
                kafka.startBroker(0);

                // Then the stored bundle is published by the running producer, with no enqueue call (the republisher
                // counts a round after it ends, so the gauge can reach zero an instant before the counter moves)
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    assertThat(registry.get("handoff.enqueue.unpublished").gauge().value()).isZero();
                    assertThat(registry.get("handoff.enqueue.republished").counter().count()).isGreaterThanOrEqualTo(1.0);
                });
            }
            java.util.TreeSet<Long> parts = new java.util.TreeSet<>();
            for (var r : Fixtures.readTopic(kafka.bootstrapServers(), topic, 2, Duration.ofSeconds(30))) {
                parts.add(Codecs.ENQUEUE.decode(r.value()).partId());
            }
            assertThat(parts).containsExactly(1L, 2L);
        }
    }

    private Bundle bundle(long partId) throws Exception {
        PartKey part = new PartKey("liaison-r", "g", 0, partId);
        Path src = tmp.resolve("src-" + partId);
        return Bundle.of(part, new Bundle.Type("core", Fixtures.typeDir(src, "core",
            Map.of("primary.bin", bytes(1_000, (int) partId))), Map.of()));
    }
}
