package dev.handoff.embedded;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.test.JaasUtils;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real KRaft brokers inside this JVM, built on Kafka's own {@code KafkaClusterTestKit}. One broker
 * runs in combined mode; several run beside one dedicated controller, so a broker can be stopped and
 * restarted (on the same port) while the quorum stays up. Internal topics are replicated
 * {@code min(3, brokers)} times so transactions survive the loss of one broker of three.
 * A product class: {@code handoff quickstart} and {@code run} use it as their default broker, and the test
 * kit wraps it as its in-process {@code KafkaCluster}. Not thread-safe: one thread starts, stops and closes it.
 */
public final class EmbeddedKafkaCluster implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(EmbeddedKafkaCluster.class);

    /** Super user of a {@link #startSasl SASL} cluster (SASL/PLAIN): may do anything, including granting ACLs. */
    public static final String SASL_SUPER_USER = JaasUtils.KAFKA_PLAIN_ADMIN;

    private final KafkaClusterTestKit kit;
    private final List<Integer> brokerIds;
    private final SecurityProtocol protocol;
    /** Indexes of the brokers {@link #stopBroker} stopped and {@link #startBroker} has not started again. */
    private final Set<Integer> stopped = new HashSet<>();

    private EmbeddedKafkaCluster(KafkaClusterTestKit kit, SecurityProtocol protocol) {
        this.kit = kit;
        this.protocol = protocol;
        this.brokerIds = new ArrayList<>(kit.brokers().keySet());
        this.brokerIds.sort(Integer::compareTo);
    }

    /** Starts {@code brokers} brokers with handoff's defaults. */
    public static EmbeddedKafkaCluster start(int brokers) {
        return start(brokers, Map.of());
    }

    /** Starts {@code brokers} brokers; {@code brokerProps} override any broker setting. */
    public static EmbeddedKafkaCluster start(int brokers, Map<String, String> brokerProps) {
        return start(brokers, brokerProps, SecurityProtocol.PLAINTEXT);
    }

    /**
     * Starts one broker whose client listener is {@code SASL_PLAINTEXT} with mechanisms PLAIN and
     * SCRAM-SHA-512, and the standard authorizer denying everything without an ACL except to
     * {@link #SASL_SUPER_USER}. Add users with {@link #createScramUser}; grant them ACLs through an
     * admin client built from {@link #superUserClientProperties()}. The controller listener is
     * SASL_PLAINTEXT too (as the super user), so no anonymous principal exists. The kit sets the JVM-wide {@code java.security.auth.login.config} to its broker JAAS file.
     */
    public static EmbeddedKafkaCluster startSasl(Map<String, String> brokerProps) {
        Map<String, String> props = new HashMap<>();
        props.put("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-512");
        props.putAll(brokerProps);
        return start(1, props, SecurityProtocol.SASL_PLAINTEXT);
    }

    private static EmbeddedKafkaCluster start(int brokers, Map<String, String> brokerProps, SecurityProtocol protocol) {
        if (brokers < 1) {
            throw new IllegalArgumentException("brokers: at least 1, got " + brokers);
        }
        long started = System.nanoTime();
        Map<String, String> props = brokerDefaults(brokers);
        props.putAll(brokerProps);
        try {
            TestKitNodes nodes = new TestKitNodes.Builder()
                .setCombined(brokers == 1)
                .setNumBrokerNodes(brokers)
                .setNumControllerNodes(1)
                .setBrokerSecurityProtocol(protocol)
                .setControllerSecurityProtocol(protocol)
                .build();
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
            props.forEach(builder::setConfigProp);
            KafkaClusterTestKit kit = builder.build();
            formatQuietly(kit);
            kit.startup();
            kit.waitForReadyBrokers();
            EmbeddedKafkaCluster cluster = new EmbeddedKafkaCluster(kit, protocol);
            LOGGER.atInfo().addKeyValue("brokers", brokers).addKeyValue("protocol", protocol).addKeyValue("bootstrap", cluster.bootstrapServers())
                .addKeyValue("ms", (System.nanoTime() - started) / 1_000_000).log("embedded Kafka started");
            return cluster;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("cannot start the embedded Kafka cluster: " + e.getMessage(), e);
        }
    }

    /**
     * Broker settings handoff's test and embedded clusters share: internal topics replicated
     * {@code min(3, brokers)} times, no auto-creation, no initial rebalance delay, small internal topics.
     */
    public static Map<String, String> brokerDefaults(int brokers) {
        int rf = Math.min(3, brokers);
        Map<String, String> props = new HashMap<>();
        props.put("offsets.topic.replication.factor", Integer.toString(rf));
        props.put("offsets.topic.num.partitions", "5");
        props.put("transaction.state.log.replication.factor", Integer.toString(rf));
        props.put("transaction.state.log.min.isr", Integer.toString(rf >= 3 ? 2 : 1));
        props.put("transaction.state.log.num.partitions", "5");
        props.put("share.coordinator.state.topic.replication.factor", Integer.toString(rf));
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "false");
        props.put("num.partitions", "1");
        props.put("log.cleaner.backoff.ms", "1000");
        return props;
    }

    /** Kafka's storage formatter prints to stdout; that output is noise on a CLI's or a test's console. */
    private static void formatQuietly(KafkaClusterTestKit kit) throws Exception {
        java.io.PrintStream stdout = System.out;
        synchronized (EmbeddedKafkaCluster.class) {
            System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
            try {
                kit.format();
            } finally {
                System.setOut(stdout);
            }
        }
    }

    /** The client listeners of every broker, {@code host:port,...}. */
    public String bootstrapServers() {
        return kit.bootstrapServers();
    }

    /**
     * Client properties of the super user on a SASL cluster ({@code security.protocol},
     * {@code sasl.mechanism}, {@code sasl.jaas.config}); empty on a plaintext one.
     */
    public Map<String, String> superUserClientProperties() {
        if (protocol != SecurityProtocol.SASL_PLAINTEXT) {
            return Map.of();
        }
        return Map.of("security.protocol", protocol.name, "sasl.mechanism", "PLAIN",
            "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                + SASL_SUPER_USER + "\" password=\"" + JaasUtils.KAFKA_PLAIN_ADMIN_PASSWORD + "\";");
    }

    /** Creates (or replaces) a SCRAM-SHA-512 user on a SASL cluster, as the super user. */
    public void createScramUser(String user, String password) {
        if (protocol != SecurityProtocol.SASL_PLAINTEXT) {
            throw new IllegalStateException("createScramUser: the cluster was not started with startSasl");
        }
        Map<String, Object> config = new HashMap<>(superUserClientProperties());
        config.put("bootstrap.servers", bootstrapServers());
        try (Admin admin = Admin.create(config)) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password))).all().get();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("cannot create SCRAM user " + user + ": " + e.getMessage(), e);
        }
    }

    /** How many brokers the cluster has, stopped ones included. */
    public int brokerCount() {
        return brokerIds.size();
    }

    /** Stops broker {@code index} (0-based, in broker id order); its data stays, the controller keeps running. */
    public void stopBroker(int index) {
        BrokerServer broker = broker(index);
        LOGGER.atInfo().addKeyValue("broker", brokerIds.get(index)).log("stopping embedded broker");
        broker.shutdown();
        broker.awaitShutdown();
        stopped.add(index);
    }

    /** Whether broker {@code index} runs (it was not stopped, or was started again). */
    public boolean isBrokerRunning(int index) {
        broker(index);
        return !stopped.contains(index);
    }

    /** Starts a stopped broker again on its old address. */
    public void startBroker(int index) {
        BrokerServer broker = broker(index);
        LOGGER.atInfo().addKeyValue("broker", brokerIds.get(index)).log("starting embedded broker");
        broker.startup();
        stopped.remove(index);
    }

    private BrokerServer broker(int index) {
        if (index < 0 || index >= brokerIds.size()) {
            throw new IllegalArgumentException("broker index " + index + ": 0-" + (brokerIds.size() - 1));
        }
        return kit.brokers().get(brokerIds.get(index));
    }

    /** Stops every broker and the controller and deletes their data directories. */
    @Override
    public void close() {
        try {
            kit.close();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOGGER.atWarn().setCause(e).log("embedded Kafka did not close cleanly");
        }
    }
}
