package dev.handoff.testkit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kafka.server.BrokerServer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real KRaft brokers inside this JVM, built on Kafka's own {@code KafkaClusterTestKit}. One broker
 * runs in combined mode; several run beside one dedicated controller, so a broker can be stopped and
 * restarted (on the same port) while the quorum stays up. Internal topics are replicated
 * {@code min(3, brokers)} times so transactions survive the loss of one broker of three.
 * Not only for tests: {@code handoff quickstart} and {@code run} use it as their default.
 */
public final class EmbeddedKafkaCluster implements KafkaCluster {
    private static final Logger LOGGER = LoggerFactory.getLogger(EmbeddedKafkaCluster.class);

    private final KafkaClusterTestKit kit;
    private final List<Integer> brokerIds;

    private EmbeddedKafkaCluster(KafkaClusterTestKit kit) {
        this.kit = kit;
        this.brokerIds = new ArrayList<>(kit.brokers().keySet());
        this.brokerIds.sort(Integer::compareTo);
    }

    /** Starts {@code brokers} brokers with handoff's defaults. */
    public static EmbeddedKafkaCluster start(int brokers) {
        return start(brokers, Map.of());
    }

    /** Starts {@code brokers} brokers; {@code brokerProps} override any broker setting. */
    public static EmbeddedKafkaCluster start(int brokers, Map<String, String> brokerProps) {
        if (brokers < 1) {
            throw new IllegalArgumentException("brokers: at least 1, got " + brokers);
        }
        long started = System.nanoTime();
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
        props.putAll(brokerProps);
        try {
            TestKitNodes nodes = new TestKitNodes.Builder()
                .setCombined(brokers == 1)
                .setNumBrokerNodes(brokers)
                .setNumControllerNodes(1)
                .build();
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
            props.forEach(builder::setConfigProp);
            KafkaClusterTestKit kit = builder.build();
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();
            EmbeddedKafkaCluster cluster = new EmbeddedKafkaCluster(kit);
            LOGGER.atInfo().addKeyValue("brokers", brokers).addKeyValue("bootstrap", cluster.bootstrapServers())
                .addKeyValue("ms", (System.nanoTime() - started) / 1_000_000).log("embedded Kafka started");
            return cluster;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("cannot start the embedded Kafka cluster: " + e.getMessage(), e);
        }
    }

    @Override
    public String bootstrapServers() {
        return kit.bootstrapServers();
    }

    @Override
    public Mode mode() {
        return Mode.EMBEDDED;
    }

    @Override
    public int brokerCount() {
        return brokerIds.size();
    }

    @Override
    public boolean supportsBrokerControl() {
        return true;
    }

    @Override
    public void stopBroker(int index) {
        BrokerServer broker = broker(index);
        LOGGER.atInfo().addKeyValue("broker", brokerIds.get(index)).log("stopping embedded broker");
        broker.shutdown();
        broker.awaitShutdown();
    }

    @Override
    public void startBroker(int index) {
        BrokerServer broker = broker(index);
        LOGGER.atInfo().addKeyValue("broker", brokerIds.get(index)).log("starting embedded broker");
        broker.startup();
    }

    private BrokerServer broker(int index) {
        if (index < 0 || index >= brokerIds.size()) {
            throw new IllegalArgumentException("broker index " + index + ": 0-" + (brokerIds.size() - 1));
        }
        return kit.brokers().get(brokerIds.get(index));
    }

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
