package dev.handoff.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handoff.protocol.Health;
import dev.handoff.protocol.HealthEvent;
import dev.handoff.protocol.common.GrpcServer;
import dev.handoff.protocol.json.Codecs;
import dev.handoff.testkit.FreePorts;
import dev.handoff.testkit.SharedKafkaTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

class HealthMonitorIT extends SharedKafkaTest {
    @Test
    void shouldPublishDownThenUpWhenANodeStopsAndStartsAgain() throws Exception {
        // Given a real node serving grpc.health.v1 and a producer configured to watch it
        // (on a port outside the ephemeral range: it is bound again after the stop)
        int port = FreePorts.take(1)[0];
        AtomicReference<GrpcServer> node = new AtomicReference<>(GrpcServer.start("node", "localhost", port, null, List.of()));
        String address = "localhost:" + port;
        ProducerSettings settings = Fixtures.settings(KAFKA, tmp.resolve("store"), "watcher").nodes(List.of(address))
            .heartbeatInterval(Duration.ofHours(1)).build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (HandoffProducer producer = Fixtures.started(settings, registry);
             KafkaConsumer<String, byte[]> health = healthReader(settings)) {
            List<HealthEvent> all = new ArrayList<>();
            // a cold first connection may miss its deadline: wait for the node to be seen UP first
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                poll(health, all);
                assertThat(all).last().extracting(HealthEvent::status).isEqualTo(Health.UP);
            });
            int from = all.size() - 1;

            // When the node stops
            node.get().close();

            // Then DOWN is published
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                poll(health, all);
                assertThat(all.subList(from, all.size())).extracting(HealthEvent::status).containsExactly(Health.UP, Health.DOWN);
            });

            // When it starts again on the same port, Then UP follows
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                .until(() -> node.compareAndSet(node.get(), GrpcServer.start("node", "localhost", port, null, List.of())));
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                poll(health, all);
                assertThat(all.subList(from, all.size())).extracting(HealthEvent::status)
                    .containsExactly(Health.UP, Health.DOWN, Health.UP);
            });
            assertThat(all).allSatisfy(e -> {
                assertThat(e.node()).isEqualTo(address);
                assertThat(e.observer()).isEqualTo("producer:watcher");
            });
            assertThat(registry.get("handoff.health.transitions").tag("node", address).tag("outcome", "UP")
                .counter().count()).isGreaterThanOrEqualTo(2.0);

            // and the write path can report DOWN at once
            producer.reportDown(address);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                poll(health, all);
                assertThat(all.subList(from, all.size())).extracting(HealthEvent::status)
                    .startsWith(Health.UP, Health.DOWN, Health.UP, Health.DOWN);
            });
        } finally {
            node.get().close();
        }
    }

    @Test
    void shouldRepeatTheCurrentStateEveryHeartbeat() throws Exception {
        // Given a node that is up and a short heartbeat
        GrpcServer node = GrpcServer.start("node", "localhost", 0, null, List.of());
        String address = "localhost:" + node.port();
        ProducerSettings settings = Fixtures.settings(KAFKA, tmp.resolve("store"), "beats").nodes(List.of(address))
            .heartbeatInterval(Duration.ofMillis(300)).build();
        try (node;
             HandoffProducer producer = Fixtures.started(settings);
             KafkaConsumer<String, byte[]> health = healthReader(settings)) {
            // When time passes / Then, once seen UP, UP is repeated without any transition
            List<HealthEvent> events = new ArrayList<>();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                poll(health, events);
                int firstUp = events.stream().map(HealthEvent::status).toList().indexOf(Health.UP);
                assertThat(firstUp).isNotNegative();
                assertThat(events.subList(firstUp, events.size())).hasSizeGreaterThanOrEqualTo(3)
                    .extracting(HealthEvent::status).containsOnly(Health.UP);
            });
        }
    }

    /** A consumer of the producer's health topic, from its beginning. */
    private static KafkaConsumer<String, byte[]> healthReader(ProducerSettings settings) {
        KafkaConsumer<String, byte[]> consumer =
            new KafkaConsumer<>(KAFKA.clientProps(), new StringDeserializer(), new ByteArrayDeserializer());
        TopicPartition tp = new TopicPartition(settings.topics().health(), 0);
        consumer.assign(List.of(tp));
        consumer.seekToBeginning(List.of(tp));
        return consumer;
    }

    private static void poll(KafkaConsumer<String, byte[]> consumer, List<HealthEvent> into) throws Exception {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            into.add(Codecs.HEALTH.decode(r.value()));
        }
    }
}
