package dev.handoff.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Three brokers, RF 3, min ISR 2: the fixture can take brokers away and bring them back. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrokerControlIT {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.brokers(3);

    @Test
    @Order(1)
    void shouldReportAStoppedBrokerAsNotRunningAndLeaveItStopped() {
        // Given three running brokers
        assertThat(KAFKA.cluster().isBrokerRunning(1)).isTrue();
        // When one is stopped (and, as a failed test would, this test ends without starting it again)
        KAFKA.cluster().stopBroker(1);
        // Then the cluster reports it stopped
        assertThat(KAFKA.cluster().isBrokerRunning(1)).isFalse();
    }

    @Test
    @Order(2)
    void shouldStartABrokerAnEarlierTestLeftStoppedBeforeTheNextTest() throws Exception {
        // Then the extension started the broker the test before left stopped, and all three serve again
        assertThat(List.of(0, 1, 2)).allMatch(i -> KAFKA.cluster().isBrokerRunning(i));
        try (Admin admin = Admin.create(KAFKA.clientProps())) {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                .until(() -> admin.describeCluster().nodes().get().size() == 3);
        }
    }

    @Test
    @Order(3)
    void shouldRefuseAcksAllBelowMinIsrAndRecoverWhenBrokersReturn() throws Exception {
        // Given a topic replicated to all three brokers with min.insync.replicas=2
        String topic = KafkaClusterExtension.unique("isr");
        try (Admin admin = Admin.create(KAFKA.clientProps())) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 3).configs(Map.of("min.insync.replicas", "2"))))
                .all().get();
        }
        Map<String, Object> props = new HashMap<>(KAFKA.clientProps());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 8000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "k", "all-up")).get();

            // When one broker stops, acks=all still succeeds with two in sync
            KAFKA.cluster().stopBroker(2);
            RecordMetadata oneDown = producer.send(new ProducerRecord<>(topic, "k", "one-down")).get();
            assertThat(oneDown.offset()).isEqualTo(1);

            // When a second broker stops, acks=all is refused rather than pretending
            KAFKA.cluster().stopBroker(1);
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, "k", "two-down")).get())
                .isInstanceOf(ExecutionException.class)
                .satisfies(e -> assertThat(e.getCause()).isInstanceOfAny(NotEnoughReplicasException.class,
                    org.apache.kafka.common.errors.NotEnoughReplicasAfterAppendException.class,
                    org.apache.kafka.common.errors.TimeoutException.class));

            // Then with the brokers back on their old addresses, writes succeed again
            KAFKA.cluster().startBroker(1);
            KAFKA.cluster().startBroker(2);
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> producer.send(new ProducerRecord<>(topic, "k", "back")).get().offset() >= 2);
        }
    }
}
