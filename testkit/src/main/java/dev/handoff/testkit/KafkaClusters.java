package dev.handoff.testkit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the Kafka a test runs against, in this order: an external cluster when
 * {@code HANDOFF_TEST_BOOTSTRAP} is set; a Testcontainers broker when a Docker daemon answers (and
 * the test needs one broker it will not stop); otherwise in-process KRaft brokers. The choice is
 * logged. {@code HANDOFF_TEST_KAFKA=embedded|container} forces a mode.
 */
public final class KafkaClusters {
    private static final Logger LOGGER = LoggerFactory.getLogger(KafkaClusters.class);
    public static final String BOOTSTRAP_ENV = "HANDOFF_TEST_BOOTSTRAP";
    public static final String MODE_ENV = "HANDOFF_TEST_KAFKA";

    private KafkaClusters() {
    }

    /**
     * A cluster of {@code brokers} brokers for a test; {@code needsBrokerControl} asks for one whose
     * brokers can be stopped and started, which only the in-process mode offers.
     */
    public static KafkaCluster forTests(int brokers, boolean needsBrokerControl) {
        String external = System.getenv(BOOTSTRAP_ENV);
        String forced = System.getenv(MODE_ENV);
        KafkaCluster cluster;
        String why;
        if (external != null && !external.isBlank()) {
            cluster = new ExternalKafkaCluster(external, brokers);
            why = BOOTSTRAP_ENV + " is set";
        } else if ("embedded".equalsIgnoreCase(forced)) {
            cluster = InProcessKafkaCluster.start(brokers);
            why = MODE_ENV + "=embedded";
        } else if (brokers == 1 && !needsBrokerControl
            && ("container".equalsIgnoreCase(forced) || ContainerKafkaCluster.dockerAvailable())) {
            cluster = ContainerKafkaCluster.start();
            why = "a Docker daemon answered";
        } else {
            cluster = InProcessKafkaCluster.start(brokers);
            why = brokers > 1 || needsBrokerControl ? "the test stops brokers or needs several" : "no Docker daemon";
        }
        LOGGER.atInfo().addKeyValue("mode", cluster.mode()).addKeyValue("brokers", brokers)
            .addKeyValue("bootstrap", cluster.bootstrapServers()).addKeyValue("why", why)
            .log("test Kafka ready");
        return cluster;
    }
}
