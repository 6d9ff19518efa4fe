package dev.handoff.protocol.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.handoff.protocol.Health;
import dev.handoff.protocol.HealthEvent;
import dev.handoff.protocol.json.Codecs;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class HealthEventsTest {
    private static final String TOPIC = "handoff.health";
    private static final Node BROKER = new Node(1, "localhost", 9092);

    private final MockProducer<String, byte[]> producer = new MockProducer<>(new Cluster("test", List.of(BROKER),
        List.of(new PartitionInfo(TOPIC, 0, BROKER, new Node[] {BROKER}, new Node[] {BROKER})), Set.of(), Set.of()),
        false, null, new StringSerializer(), new ByteArraySerializer());

    @Test
    void shouldSendTheEventKeyedByItsNode() {
        // Given a health event
        HealthEvent event = new HealthEvent("n1:9420", Health.DOWN, "replayer:r1", 1_000L);
        try (FirstWriteGuard<String, byte[]> guard = new FirstWriteGuard<>(producer, new StringSerializer(), "test-health")) {
            // When it is sent
            boolean handed = HealthEvents.send(guard, TOPIC, event);
            // Then the client has it, keyed by the node, and a failed acknowledgement is not thrown at the caller
            assertThat(handed).isTrue();
            assertThat(producer.history()).singleElement().satisfies(r -> {
                assertThat(r.key()).isEqualTo("n1:9420");
                assertThat(Codecs.HEALTH.decode(r.value())).isEqualTo(event);
            });
            assertThat(producer.errorNext(new RuntimeException("broker gone"))).isTrue();
        }
    }

    @Test
    void shouldNotThrowWhenTheClientRefuses() {
        // Given a closed Kafka client
        producer.close();
        try (FirstWriteGuard<String, byte[]> guard = new FirstWriteGuard<>(producer, new StringSerializer(), "test-health")) {
            // When an event is sent, Then nothing is thrown at the caller (the failure is logged) and nothing is sent
            assertThatCode(() -> HealthEvents.send(guard, TOPIC, new HealthEvent("n1:9420", Health.UP, "producer:l1", 1L)))
                .doesNotThrowAnyException();
            assertThat(producer.history()).isEmpty();
        }
    }
}
