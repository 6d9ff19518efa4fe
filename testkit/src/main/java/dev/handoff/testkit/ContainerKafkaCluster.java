package dev.handoff.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.utils.AppInfoParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/** One {@code apache/kafka} KRaft broker in a container, of the same Kafka version as the clients. */
public final class ContainerKafkaCluster implements KafkaCluster {
    private static final Logger LOGGER = LoggerFactory.getLogger(ContainerKafkaCluster.class);

    private final KafkaContainer container;
    private final Description description;

    private ContainerKafkaCluster(KafkaContainer container) {
        this.container = container;
        this.description = new Description(Mode.CONTAINER, container.getBootstrapServers(), 1);
    }

    /** True when a Docker daemon answers. Asks Testcontainers only when a socket or DOCKER_HOST exists. */
    public static boolean dockerAvailable() {
        boolean hint = System.getenv("DOCKER_HOST") != null || Files.exists(Path.of("/var/run/docker.sock"))
            || Files.exists(Path.of(System.getProperty("user.home"), ".docker", "run", "docker.sock"));
        if (!hint) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            LOGGER.atDebug().setCause(e).log("Docker is not usable");
            return false;
        }
    }

    public static ContainerKafkaCluster start() {
        String image = "apache/kafka:" + AppInfoParser.getVersion();
        KafkaContainer container = new KafkaContainer(image)
            .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
            .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
            .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
            .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
            .withEnv("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1");
        container.start();
        LOGGER.atInfo().addKeyValue("image", image).addKeyValue("bootstrap", container.getBootstrapServers())
            .log("Kafka container started");
        return new ContainerKafkaCluster(container);
    }

    @Override
    public Description describe() {
        return description;
    }

    @Override
    public void close() {
        container.stop();
    }
}
