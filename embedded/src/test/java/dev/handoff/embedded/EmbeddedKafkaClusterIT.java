package dev.handoff.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

/** The broker quickstart and run start when no --bootstrap-servers is given (the test kit's suites cover the rest). */
class EmbeddedKafkaClusterIT {

    @Test
    void shouldServeClientsWithHandoffsBrokerDefaults() throws Exception {
        // Given one embedded broker
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(1)) {
            // When a client creates a topic
            try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("embedded-check", 2, (short) 1))).all().get();
                // Then the broker serves it
                assertThat(admin.describeTopics(List.of("embedded-check")).allTopicNames().get()
                    .get("embedded-check").partitions()).hasSize(2);
            }
            assertThat(kafka.brokerCount()).isEqualTo(1);
            // and its defaults turn auto-creation off, as a production cluster should
            assertThat(EmbeddedKafkaCluster.brokerDefaults(1)).containsEntry("auto.create.topics.enable", "false");
            assertThat(kafka.superUserClientProperties()).isEmpty();
            // And bad arguments name what is wrong
            assertThatThrownBy(() -> kafka.stopBroker(1)).hasMessageContaining("broker index 1: 0-0");
            assertThatThrownBy(() -> kafka.createScramUser("u", "p")).hasMessageContaining("startSasl");
        }
        assertThatThrownBy(() -> EmbeddedKafkaCluster.start(0)).hasMessageContaining("brokers: at least 1, got 0");
    }
}
