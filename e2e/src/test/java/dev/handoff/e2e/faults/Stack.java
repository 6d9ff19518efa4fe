package dev.handoff.e2e.faults;

import static org.awaitility.Awaitility.await;

import dev.handoff.testkit.ChildJvm;
import dev.handoff.datanode.DataNode;
import dev.handoff.datanode.DataNodeSettings;
import dev.handoff.producer.HandoffProducer;
import dev.handoff.producer.ProducerSettings;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.common.KafkaSettings;
import dev.handoff.protocol.common.TopicAdmin;
import dev.handoff.protocol.common.TopicAdmin.TopicSettings;
import dev.handoff.replayer.Replayer;
import dev.handoff.replayer.ReplayerSettings;
import dev.handoff.testkit.FreePorts;
import dev.handoff.testkit.KafkaClusterExtension;
import dev.handoff.testkit.StartedRoles;
import dev.handoff.topology.TopologyApp;
import dev.handoff.topology.TopologySettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.Admin;

/**
 * Every role of one handoff deployment on a given bootstrap, under a unique topic prefix, as the fault suite
 * wires them: in-process roles owned here (closed in reverse order), and {@link ChildJvm} variants of the
 * roles a scenario kills, built from the same settings functions so both run the same configuration.
 * One thread (the test's) starts and closes it; the roles themselves are thread-safe.
 */
final class Stack implements AutoCloseable {
    static final String LIAISON = "liaison-1";
    /** Group members a kill -9 leaves behind must be noticed quickly. */
    static final Map<String, String> FAST_GROUPS = Map.of("session.timeout.ms", "6000", "heartbeat.interval.ms", "1000");
    /** The scenarios' topics unless they say otherwise: 2 partitions on one replica. */
    static final TopicSettings TOPICS = new TopicSettings(2, (short) 1, null);

    final String bootstrap;
    final KafkaSettings kafka;
    final Topics topics;
    final String replayerGroup;
    final String topologyId;
    final Path dir;
    final TopicSettings topicSettings;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final StartedRoles roles = new StartedRoles();
    private final long started = System.nanoTime();

    Stack(String bootstrap, Path dir, TopicSettings topicSettings) throws Exception {
        this.bootstrap = bootstrap;
        this.kafka = KafkaSettings.of(bootstrap);
        this.topics = new Topics(KafkaClusterExtension.unique("f"));
        this.replayerGroup = KafkaClusterExtension.unique("replayers");
        this.topologyId = KafkaClusterExtension.unique("topology");
        this.dir = dir;
        this.topicSettings = topicSettings;
        try (Admin admin = Admin.create(kafka.admin())) {
            TopicAdmin.ensureFixed(admin, topics, topicSettings);
        }
    }

    Stack(String bootstrap, Path dir) throws Exception {
        this(bootstrap, dir, TOPICS);
    }

    // ---- settings shared by the in-process roles and the child JVMs ----

    static ProducerSettings.Builder producerSettings(String bootstrap, String prefix, Path store, int port,
                                                     TopicSettings topicSettings) {
        // FAST_GROUPS: garbage collection's consumer group must not wait 45 s for a killed producer's member.
        return ProducerSettings.builder(store, LIAISON, new KafkaSettings(bootstrap, FAST_GROUPS))
            .topicPrefix(prefix)
            .listen("localhost", port)
            .nodeTopics(topicSettings)
            .fixedTopics(topicSettings)
            .storeLimits(null, 95.0)
            .healthInterval(Duration.ofMillis(250))
            .healthTimeout(Duration.ofMillis(500))
            .heartbeatInterval(Duration.ofSeconds(2))
            .publishTimeout(Duration.ofSeconds(30));
    }

    static ReplayerSettings.Builder replayerSettings(String bootstrap, String prefix, String group, String instance,
                                                     String topologyId) {
        return replayerSettings(new KafkaSettings(bootstrap, FAST_GROUPS), prefix, group, instance, topologyId);
    }

    static ReplayerSettings.Builder replayerSettings(KafkaSettings kafka, String prefix, String group, String instance,
                                                     String topologyId) {
        return ReplayerSettings.builder(kafka)
            .topicPrefix(prefix).groupId(group).instanceId(instance)
            // The scenarios are stated for a fixed 16 deliveries in flight per node (a node killed "with 16 in
            // flight", a broker killed while deliveries run): adaptive concurrency, which starts from 1 and can
            // stand at 1-2 against a slow node, would leave nothing in flight at the moment a fault is injected.
            // It has its own ITs (AdaptiveConcurrencyIT).
            .adaptiveConcurrency(false)
            // node topics are trimmed only as far as this stack's topology has read
            .topologyApplicationId(topologyId)
            .backoff(Duration.ofMillis(200), Duration.ofSeconds(2))
            // The topology must read a node record before its log start passes it (see docs/RELIABILITY.md).
            .logStartAdvanceInterval(Duration.ofSeconds(10))
            .sessionTimeout(Duration.ofSeconds(15))
            .chunkSize(64 * 1024);
    }

    static TopologySettings topologySettings(String bootstrap, String prefix, String appId, Path stateDir, int rf) {
        return TopologySettings.builder(new KafkaSettings(bootstrap, FAST_GROUPS)).applicationId(appId)
            .topicPrefix(prefix).stateDir(stateDir).replicationFactor(rf).internalPartitions(2).build();
    }

    // ---- in-process roles ----

    DataNode dataNode(String name, int port, Duration latency) throws Exception {
        return roles.start(new DataNode(DataNodeSettings.builder(dir.resolve(name)).listen("localhost", port)
            .testLatencyPerSession(latency).build(), registry), DataNode::start);
    }

    /**
     * A data node over {@code dir/<name>} again, not owned here (close it): what a killed child data node applied,
     * from its own {@code applied.log}, for the {@link Ledger} to check.
     */
    DataNode oracle(String name) throws IOException {
        return new DataNode(DataNodeSettings.builder(dir.resolve(name)).listen("localhost", 0).build()).start();
    }

    /** Creates a node's topic now, as the producer does on its first enqueue for the node. */
    void nodeTopic(String node) throws Exception {
        try (Admin admin = Admin.create(kafka.admin())) {
            TopicAdmin.ensure(admin, topics.node(node), topicSettings, TopicAdmin.nodeTopicConfigs());
        }
    }

    HandoffProducer producer(int port, List<String> nodes, UnaryOperator<ProducerSettings.Builder> tweak) throws Exception {
        return producer(store(), port, nodes, tweak);
    }

    /** A producer whose part store is {@code store} (for a store on a file system of its own). */
    HandoffProducer producer(Path store, int port, List<String> nodes, UnaryOperator<ProducerSettings.Builder> tweak)
        throws Exception {
        return roles.start(new HandoffProducer(tweak.apply(producerSettings(bootstrap, topics.prefix(), store,
            port, topicSettings).nodes(nodes)).build(), registry, Clock.systemUTC()), HandoffProducer::start);
    }

    TopologyApp topology() throws Exception {
        return roles.start(new TopologyApp(topologySettings(bootstrap, topics.prefix(), topologyId, topologyState(),
            topicSettings.replicationFactor()), registry), TopologyApp::start);
    }

    Replayer replayer(String instance, UnaryOperator<ReplayerSettings.Builder> tweak) throws Exception {
        return replayer(instance, bootstrap, Map.of(), tweak);
    }

    /**
     * A replayer whose Kafka clients bootstrap from {@code bootstrap} (another listener of the same cluster, or
     * a proxy in front of it), with {@code kafkaProps} added to {@link #FAST_GROUPS}.
     */
    Replayer replayer(String instance, String bootstrap, Map<String, String> kafkaProps,
                      UnaryOperator<ReplayerSettings.Builder> tweak) throws Exception {
        Map<String, String> props = new java.util.HashMap<>(FAST_GROUPS);
        props.putAll(kafkaProps);
        return roles.start(new Replayer(tweak.apply(replayerSettings(new KafkaSettings(bootstrap, props), topics.prefix(),
            replayerGroup, instance, topologyId)).build(), registry, Clock.systemUTC()), Replayer::start);
    }

    Replayer replayer(String instance) throws Exception {
        return replayer(instance, b -> b);
    }

    /** Closes one in-process role now (a graceful stop, or the end of a scenario's phase). */
    void stop(AutoCloseable role) throws Exception {
        roles.stop(role);
    }

    // ---- child JVMs ----

    /** A role in its own small JVM, run by {@link RoleMain}. */
    private static ChildJvm child(Path log, String... args) throws IOException {
        return new ChildJvm(log, List.of("-Xmx192m", "-XX:TieredStopAtLevel=1"), RoleMain.class, args);
    }

    ChildJvm childReplayer(String instance) throws IOException {
        return roles.own(child(dir.resolve("replayer-" + instance + ".log"), "replayer", bootstrap, topics.prefix(),
            replayerGroup, instance, topologyId));
    }

    ChildJvm childDataNode(String name, int port, Duration latency) throws Exception {
        return roles.own(child(dir.resolve(name + ".log"), "datanode", dir.resolve(name).toString(),
            Integer.toString(port), Long.toString(latency.toMillis())));
    }

    /** {@link #childDataNode}, once it printed READY (within 30 s). */
    ChildJvm readyChildDataNode(String name, int port, Duration latency) throws Exception {
        ChildJvm node = childDataNode(name, port, latency);
        await().atMost(Duration.ofSeconds(30)).until(() -> node.printed("READY"));
        return node;
    }

    ChildJvm childTopology() throws IOException {
        return roles.own(child(dir.resolve("topology.log"), "topology", bootstrap, topics.prefix(), topologyId,
            topologyState().toString(), Short.toString(topicSettings.replicationFactor())));
    }

    /** A child producer that enqueues parts {@code [from, to)} from {@code source} for {@code node}, halting before publishing {@code haltAt} (-1: never). */
    ChildJvm childProducer(int port, Path source, long from, long to, long haltAt, String node) throws IOException {
        return roles.own(child(dir.resolve("producer.log"), "producer", bootstrap, topics.prefix(), store().toString(),
            Integer.toString(port), Short.toString(topicSettings.replicationFactor()), source.toString(),
            Long.toString(from), Long.toString(to), Long.toString(haltAt), node));
    }

    // ---- load ----

    /** What {@link #backlog} started: the producer, and the ledger that expects every part it enqueued. */
    record Backlog(HandoffProducer producer, Ledger ledger) {
    }

    /** {@link #backlog(int, UnaryOperator, int, int, String...)} with a producer on any port, untweaked. */
    Backlog backlog(int count, int bytes, String... nodes) throws Exception {
        return backlog(0, b -> b, count, bytes, nodes);
    }

    /**
     * The topology, a producer listening on {@code storePort} (0: any) for {@code nodes}, and parts {@code 1..count}
     * of about {@code bytes} each enqueued for every one of {@code nodes} ({@link Parts#enqueue}).
     */
    Backlog backlog(int storePort, UnaryOperator<ProducerSettings.Builder> tweak, int count, int bytes,
                    String... nodes) throws Exception {
        topology();
        HandoffProducer producer = producer(storePort, List.of(nodes), tweak);
        Ledger ledger = ledger();
        Parts.enqueue(source(), producer, ledger, count, bytes, nodes);
        return new Backlog(producer, ledger);
    }

    // ---- helpers ----

    /** Whole seconds since this stack was built: a scenario's {@code seconds=} figure. */
    long seconds() {
        return (System.nanoTime() - started) / 1_000_000_000L;
    }

    Path store() {
        return dir.resolve("store");
    }

    Path topologyState() {
        return dir.resolve("topology-state");
    }

    Path source() throws IOException {
        return Files.createDirectories(dir.resolve("liaison-parts"));
    }

    Ledger ledger() {
        return new Ledger(kafka, topics);
    }

    static int freePort() {
        try {
            return FreePorts.take(1)[0];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws Exception {
        roles.close();
    }
}
