package dev.handoff.cli;

import dev.handoff.banyandb.BanyanNode;
import dev.handoff.datanode.DataNode;
import dev.handoff.embedded.EmbeddedKafkaCluster;
import dev.handoff.producer.EnqueueServerSettings;
import dev.handoff.producer.HandoffProducer;
import dev.handoff.producer.ProducerSettings;
import dev.handoff.protocol.HandoffException;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.common.Durable;
import dev.handoff.protocol.common.KafkaSettings;
import dev.handoff.protocol.common.TopicAdmin;
import dev.handoff.protocol.common.TopicAdmin.TopicSettings;
import dev.handoff.replayer.Replayer;
import dev.handoff.replayer.ReplayerSettings;
import dev.handoff.topology.TopologyApp;
import dev.handoff.topology.TopologySettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;

/**
 * Every role in one process, as {@code handoff run} and {@code quickstart} use them: an optional embedded
 * broker, reference data nodes, the topology, the liaison's producer and replayers. Closes in reverse
 * order of start. Not thread-safe: one thread starts, stops and closes it.
 */
final class LocalStack implements AutoCloseable {
    private final List<AutoCloseable> owned = new ArrayList<>();
    private final Path workDir;
    private final MeterRegistry registry;
    private LocalNodes nodes;
    private EmbeddedKafkaCluster embedded;
    private KafkaSettings kafka;
    private TopologyApp topology;
    private HandoffProducer producer;
    private final List<Replayer> replayers = new ArrayList<>();

    /**
     * What to start. {@code bootstrapServers} null starts an embedded broker; {@code producerPort} 0 picks a
     * free port; {@code enqueueRoot} null does not serve {@code handoff enqueue}, which listens on
     * {@code 127.0.0.1:enqueuePort} (0: a free port); the store limits are the
     * producer's ({@code ProducerSettings.storeMaxBytes}, {@code storeMaxPercent}); {@code topics} are the
     * partitions, replication factor and min ISR of every topic the stack creates, the topology's internal
     * topics included (on a cluster the user gave, they are the user's choice, not a single replica).
     */
    record Plan(String bootstrapServers, int dataNodes, int replayers, String liaison, Duration healthInterval,
                int producerPort, int enqueuePort, Path enqueueRoot, Long storeMaxBytes, Double storeMaxPercent,
                TopicSettings topics, SinkOptions sink) {

        Plan(String bootstrapServers, int dataNodes, int replayers, String liaison, Duration healthInterval,
             int producerPort, int enqueuePort, Path enqueueRoot, Long storeMaxBytes, Double storeMaxPercent,
             TopicSettings topics) {
            this(bootstrapServers, dataNodes, replayers, liaison, healthInterval, producerPort, enqueuePort, enqueueRoot,
                storeMaxBytes, storeMaxPercent, topics, null);
        }

        /** The same plan with replayers on {@code sink}; with {@code --sink banyandb} the data nodes are BanyanDB test receivers. */
        Plan withSink(SinkOptions other) {
            return new Plan(bootstrapServers, dataNodes, replayers, liaison, healthInterval, producerPort, enqueuePort,
                enqueueRoot, storeMaxBytes, storeMaxPercent, topics, other);
        }

        boolean banyandb() {
            return sink != null && sink.banyandb();
        }

        /** The quickstart's plan: embedded broker, free ports, fast health checks, two partitions per topic. */
        static Plan quickstart(int dataNodes, int replayers) {
            return new Plan(null, dataNodes, replayers, "liaison-0", Duration.ofMillis(250), 0, 0, null, null, 95.0,
                new TopicSettings(2, (short) 1, null));
        }
    }

    private LocalStack(Path workDir, MeterRegistry registry) {
        this.workDir = workDir;
        this.registry = registry;
    }

    static LocalStack start(Path workDir, MeterRegistry registry, Plan plan) throws Exception {
        LocalStack stack = new LocalStack(workDir, registry);
        try {
            stack.startAll(plan);
            return stack;
        } catch (Exception e) {
            stack.close();
            throw e;
        }
    }

    private void startAll(Plan plan) throws Exception {
        if (plan.bootstrapServers() == null) {
            embedded = own(EmbeddedKafkaCluster.start(1));
            kafka = KafkaSettings.of(embedded.bootstrapServers());
        } else {
            kafka = KafkaSettings.of(plan.bootstrapServers());
        }
        try (Admin admin = Admin.create(kafka.admin())) {
            TopicAdmin.ensureFixed(admin, Topics.defaults(), plan.topics());
        }
        nodes = own(new LocalNodes(workDir, registry, plan.banyandb() ? plan.sink().versions() : null));
        nodes.start(plan.dataNodes());
        topology = own(new TopologyApp(TopologySettings.builder(kafka).stateDir(dir("topology"))
            .replicationFactor(plan.topics().replicationFactor()).build(), registry));
        topology.start();
        producer = own(new HandoffProducer(ProducerSettings.builder(dir("store"), plan.liaison(), kafka)
            .listen("localhost", plan.producerPort())
            .enqueueListen(EnqueueServerSettings.DEFAULT_HOST, plan.enqueuePort())
            .enqueueRoot(plan.enqueueRoot())
            .nodeTopics(plan.topics())
            .fixedTopics(plan.topics())
            .storeLimits(plan.storeMaxBytes(), plan.storeMaxPercent())
            .healthInterval(plan.healthInterval())
            .healthTimeout(plan.healthInterval().multipliedBy(2))
            .heartbeatInterval(Duration.ofSeconds(2))
            .publishTimeout(Duration.ofSeconds(10))
            .nodes(nodes.addresses())
            .build(), registry, Clock.systemUTC()));
        producer.start();
        for (int i = 0; i < plan.replayers(); i++) {
            Replayer r = own(new Replayer(ReplayerSettings.builder(kafka)
                .instanceId("replayer-" + (i + 1))
                .backoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                .logStartAdvanceInterval(Duration.ofSeconds(2))
                .sinkFactory(plan.sink() == null ? null : plan.sink().factory())
                .build(), registry, Clock.systemUTC()));
            r.start();
            replayers.add(r);
        }
    }

    private Path dir(String name) throws IOException {
        Path dir = workDir.resolve(name);
        Durable.createDirectories(dir);
        return dir;
    }

    private <T extends AutoCloseable> T own(T closeable) {
        owned.add(closeable);
        return closeable;
    }

    /** Stops BanyanDB test receiver {@code index} until {@link #restartBanyanNode}. */
    void stopBanyanNode(int index) {
        nodes.stopBanyanNode(index);
    }

    /** Starts BanyanDB test receiver {@code index} again on its old address and directory. */
    BanyanNode restartBanyanNode(int index) throws IOException {
        return nodes.restartBanyanNode(index);
    }

    List<BanyanNode> banyanNodes() {
        return nodes.banyanNodes();
    }

    /** Stops data node {@code index}: its address refuses connections until {@link #restartDataNode}. */
    void stopDataNode(int index) throws IOException {
        nodes.stopDataNode(index);
    }

    /** Starts data node {@code index} again on its old address and directory. */
    DataNode restartDataNode(int index) throws IOException {
        return nodes.restartDataNode(index);
    }

    String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    KafkaSettings kafka() {
        return kafka;
    }

    List<DataNode> dataNodes() {
        return nodes.dataNodes();
    }

    HandoffProducer producer() {
        return producer;
    }

    boolean isReady() {
        return topology.isReady() && producer.isReady() && replayers.stream().allMatch(Replayer::isReady);
    }

    @Override
    public void close() throws HandoffException {
        List<AutoCloseable> reverse = new ArrayList<>(owned);
        Collections.reverse(reverse);
        Exception first = Closeables.closeEach(reverse);
        owned.clear();
        if (first != null) {
            throw new HandoffException("closing the local stack: " + first.getMessage(), false, first);
        }
    }
}
