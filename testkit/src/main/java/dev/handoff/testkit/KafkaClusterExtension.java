package dev.handoff.testkit;

import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.CommonClientConfigs;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives a test class a real Kafka cluster (see {@link KafkaClusters} for how it is chosen).
 * Register it as a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final KafkaClusterExtension KAFKA = KafkaClusterExtension.shared();
 * }</pre>
 *
 * {@link #shared()} is one single-broker cluster for every test class in the JVM (started once,
 * closed when the run ends); {@link #brokers(int)} is a private cluster per class whose brokers the
 * test may stop and start: before each test, every broker a previous test left stopped (it failed before
 * starting it again) is started, so that one failure does not fail the tests after it. Tests isolate themselves with {@link #unique(String)} names.
 */
public final class KafkaClusterExtension implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
    private static final Logger LOGGER = LoggerFactory.getLogger(KafkaClusterExtension.class);
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaClusterExtension.class);

    private final int brokers;
    private final boolean shared;
    private final boolean processes;
    private KafkaCluster cluster;

    private KafkaClusterExtension(int brokers, boolean shared, boolean processes) {
        this.brokers = brokers;
        this.shared = shared;
        this.processes = processes;
    }

    /** One single-broker cluster shared by every test class of the run. */
    public static KafkaClusterExtension shared() {
        return new KafkaClusterExtension(1, true, false);
    }

    /** A private cluster of {@code n} brokers for this class; brokers can be stopped and started. */
    public static KafkaClusterExtension brokers(int n) {
        return new KafkaClusterExtension(n, false, false);
    }

    /**
     * A private cluster of {@code n} Apache Kafka brokers, each a child JVM ({@link ProcessKafkaCluster}):
     * {@link KafkaCluster#stopBroker} is a SIGKILL, as a crash or a power cut of the broker's host is.
     */
    public static KafkaClusterExtension processes(int n) {
        return new KafkaClusterExtension(n, false, true);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (shared) {
            cluster = context.getRoot().getStore(NAMESPACE)
                .computeIfAbsent("shared-cluster", k -> new Holder(KafkaClusters.forTests(1, false)), Holder.class)
                .cluster;
        } else if (processes) {
            cluster = ProcessKafkaCluster.start(brokers);
        } else {
            cluster = KafkaClusters.forTests(brokers, true);
            if (!cluster.supportsBrokerControl()) {
                cluster.close();
                Assumptions.abort("this test stops brokers, which the " + cluster.mode() + " cluster cannot do");
            }
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (shared || cluster == null || !cluster.supportsBrokerControl()) {
            return;
        }
        for (int i = 0; i < cluster.brokerCount(); i++) {
            if (!cluster.isBrokerRunning(i)) {
                LOGGER.atWarn().addKeyValue("broker", i).addKeyValue("test", context.getDisplayName())
                    .log("a previous test left this broker stopped; starting it before the next test");
                cluster.startBroker(i);
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (!shared && cluster != null) {
            cluster.close();
        }
    }

    public KafkaCluster cluster() {
        if (cluster == null) {
            throw new IllegalStateException("the Kafka cluster is not started: register the extension as a static field");
        }
        return cluster;
    }

    public String bootstrapServers() {
        return cluster().bootstrapServers();
    }

    /** Client properties with the bootstrap servers set. */
    public Map<String, Object> clientProps() {
        return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    }

    /** A name no other test uses on a shared cluster: {@code base-<random>}. */
    public static String unique(String base) {
        return base + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Closes a shared cluster when the whole run ends (JUnit closes AutoCloseable store values). */
    private static final class Holder implements AutoCloseable {
        private final KafkaCluster cluster;

        Holder(KafkaCluster cluster) {
            this.cluster = cluster;
        }

        @Override
        public void close() {
            cluster.close();
        }
    }
}
