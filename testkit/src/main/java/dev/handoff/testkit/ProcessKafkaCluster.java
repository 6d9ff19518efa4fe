package dev.handoff.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.StringJoiner;
import java.util.stream.Stream;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Apache Kafka as operators run it: each node is {@code kafka.Kafka} in a child JVM of its own, in KRaft
 * combined mode (broker and controller; every node a voter), with storage formatted by Kafka's own
 * {@code StorageTool}. {@link #stopBroker} is SIGKILL (no controlled shutdown, no flush beyond what the
 * broker already did); {@link #startBroker} starts the same node on its data and ports again. With three
 * nodes the quorum survives the death of one. Owned by one test thread; {@link #close()} kills every
 * node and deletes the data.
 */
public final class ProcessKafkaCluster implements KafkaCluster {
    private static final Logger LOGGER = LoggerFactory.getLogger(ProcessKafkaCluster.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final List<String> JVM_ARGS = List.of("-Xmx512m", "-Xms64m", "-XX:+UseSerialGC");

    private final Path dir;
    private final List<Path> configs;
    private final List<ChildJvm> nodes;
    private final String bootstrap;

    private ProcessKafkaCluster(Path dir, List<Path> configs, String bootstrap) {
        this.dir = dir;
        this.configs = configs;
        this.nodes = new ArrayList<>(java.util.Collections.nCopies(configs.size(), (ChildJvm) null));
        this.bootstrap = bootstrap;
    }

    /** Formats and starts {@code count} nodes; returns once every broker is registered. */
    public static ProcessKafkaCluster start(int count) {
        return start(count, Map.of());
    }

    /** As {@link #start(int)}; {@code brokerProps} override any broker setting. */
    public static ProcessKafkaCluster start(int count, Map<String, String> brokerProps) {
        return start(count, brokerProps, List.of());
    }

    /**
     * A second client listener of one node, {@code EXTERNAL} (plaintext): bound to {@code 127.0.0.1:port},
     * advertised as {@code advertised} ({@code host:port}), e.g. a proxy in front of it, so that the clients
     * that bootstrap there reach the broker only through that address.
     */
    public record ExternalListener(int port, String advertised) {
    }

    /** As {@link #start(int, Map)}; node {@code i} also gets {@code external.get(i)}, when given. */
    public static ProcessKafkaCluster start(int count, Map<String, String> brokerProps, List<ExternalListener> external) {
        if (count < 1) {
            throw new IllegalArgumentException("count: at least 1, got " + count);
        }
        long started = System.nanoTime();
        try {
            Path dir = Files.createTempDirectory("handoff-kafka-");
            int[] brokerPorts = freePorts(count);
            int[] controllerPorts = freePorts(count);
            StringJoiner voters = new StringJoiner(",");
            StringJoiner bootstrap = new StringJoiner(",");
            for (int i = 0; i < count; i++) {
                voters.add((i + 1) + "@127.0.0.1:" + controllerPorts[i]);
                bootstrap.add("127.0.0.1:" + brokerPorts[i]);
            }
            String clusterId = Uuid.randomUuid().toString();
            List<Path> configs = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ExternalListener extra = i < external.size() ? external.get(i) : null;
                Path config = writeConfig(dir, i, brokerPorts[i], controllerPorts[i], extra, voters.toString(), count,
                    brokerProps);
                format(dir, i, config, clusterId);
                configs.add(config);
            }
            ProcessKafkaCluster cluster = new ProcessKafkaCluster(dir, configs, bootstrap.toString());
            try {
                for (int i = 0; i < count; i++) {
                    cluster.launch(i);
                }
                cluster.awaitBrokers(count);
            } catch (RuntimeException e) {
                cluster.close();
                throw e;
            }
            LOGGER.atInfo().addKeyValue("nodes", count).addKeyValue("bootstrap", cluster.bootstrap)
                .addKeyValue("ms", (System.nanoTime() - started) / 1_000_000).log("Kafka broker processes started");
            return cluster;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the Kafka broker processes", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting Kafka broker processes", e);
        }
    }

    private static Path writeConfig(Path dir, int i, int brokerPort, int controllerPort, ExternalListener extra,
                                    String voters, int count, Map<String, String> overrides) throws IOException {
        Properties p = new Properties();
        p.putAll(EmbeddedKafkaCluster.brokerDefaults(count));
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(i + 1));
        p.put("controller.quorum.voters", voters);
        String listeners = "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort;
        String advertised = "PLAINTEXT://127.0.0.1:" + brokerPort;
        String protocols = "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT";
        if (extra != null) {
            listeners += ",EXTERNAL://127.0.0.1:" + extra.port();
            advertised += ",EXTERNAL://" + extra.advertised();
            protocols += ",EXTERNAL:PLAINTEXT";
        }
        p.put("listeners", listeners);
        p.put("advertised.listeners", advertised);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", protocols);
        p.put("log.dirs", dir.resolve("node-" + i).resolve("data").toString());
        p.putAll(overrides);
        Path config = dir.resolve("node-" + i + ".properties");
        try (Writer w = Files.newBufferedWriter(config)) {
            p.store(w, "handoff test broker " + (i + 1));
        }
        return config;
    }

    private static void format(Path dir, int i, Path config, String clusterId) throws IOException, InterruptedException {
        try (ChildJvm tool = new ChildJvm(dir.resolve("node-" + i + "-format.log"), JVM_ARGS, kafka.tools.StorageTool.class,
            "format", "-t", clusterId, "-c", config.toString())) {
            int exit = tool.waitFor(60);
            if (exit != 0) {
                throw new IllegalStateException("kafka-storage format of node " + (i + 1) + " exited " + exit + ": "
                    + String.join("\n", tool.lines()));
            }
        }
    }

    private void launch(int i) throws IOException {
        nodes.set(i, new ChildJvm(dir.resolve("node-" + i + ".log"), JVM_ARGS, kafka.Kafka.class, configs.get(i).toString()));
    }

    private void awaitBrokers(int expected) throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        String last = "no answer";
        try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 5_000, CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000))) {
            while (System.nanoTime() < deadline) {
                for (int i = 0; i < nodes.size(); i++) {
                    ChildJvm node = nodes.get(i);
                    if (node != null && !node.isAlive()) {
                        throw new IllegalStateException("Kafka node " + (i + 1) + " exited; see " + node.log());
                    }
                }
                try {
                    int registered = admin.describeCluster(new DescribeClusterOptions().timeoutMs(5_000)).nodes().get().size();
                    if (registered >= expected) {
                        return;
                    }
                    last = registered + " of " + expected + " brokers registered";
                } catch (java.util.concurrent.ExecutionException e) {
                    last = e.getCause().toString();
                }
                java.util.concurrent.TimeUnit.MILLISECONDS.sleep(200);
            }
        }
        throw new IllegalStateException("Kafka brokers not ready within " + READY_TIMEOUT + ": " + last + "; logs in " + dir);
    }

    private static int[] freePorts(int n) throws IOException {
        int[] ports = new int[n];
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket();
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress("127.0.0.1", 0));
                held.add(s);
                ports[i] = s.getLocalPort();
            }
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
        return ports;
    }

    @Override
    public String bootstrapServers() {
        return bootstrap;
    }

    @Override
    public Mode mode() {
        return Mode.PROCESS;
    }

    @Override
    public int brokerCount() {
        return configs.size();
    }

    @Override
    public boolean supportsBrokerControl() {
        return true;
    }

    /** SIGKILL: the broker process dies at once, as in a power cut of its host (page cache aside). */
    @Override
    public void stopBroker(int index) {
        ChildJvm node = node(index);
        LOGGER.atInfo().addKeyValue("node", index + 1).log("killing Kafka broker process (SIGKILL)");
        try {
            node.kill();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing Kafka node " + (index + 1), e);
        }
    }

    /** Starts a killed node again on its data and ports; returns once every node is registered. */
    @Override
    public void startBroker(int index) {
        ChildJvm node = node(index);
        if (node.isAlive()) {
            throw new IllegalStateException("Kafka node " + (index + 1) + " is running");
        }
        LOGGER.atInfo().addKeyValue("node", index + 1).log("starting Kafka broker process");
        try {
            launch(index);
            awaitBrokers(configs.size());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting Kafka node " + (index + 1), e);
        }
    }

    private ChildJvm node(int index) {
        if (index < 0 || index >= nodes.size()) {
            throw new IllegalArgumentException("broker index " + index + ": 0-" + (nodes.size() - 1));
        }
        return nodes.get(index);
    }

    @Override
    public void close() {
        for (ChildJvm node : nodes) {
            if (node != null) {
                try {
                    node.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOGGER.atWarn().addKeyValue("dir", dir).addKeyValue("error", e.toString()).log("could not delete broker data");
        }
    }
}
