package dev.handoff.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Apache Kafka as operators run it: each node is {@code kafka.Kafka} in a child JVM of its own, with
 * storage formatted by Kafka's own {@code StorageTool}. One broker runs in KRaft combined mode (broker and
 * controller); several run beside one dedicated controller process, so that brokers can die in any number
 * while the quorum stays up. {@link #stopBroker} is SIGKILL (no controlled shutdown, no flush beyond what
 * the broker already did); {@link #startBroker} starts the same broker on its data and ports again. Owned
 * by one test thread; {@link #close()} kills every process and deletes the data.
 */
public final class ProcessKafkaCluster implements KafkaCluster {
    private static final Logger LOGGER = LoggerFactory.getLogger(ProcessKafkaCluster.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final List<String> JVM_ARGS = List.of("-Xmx512m", "-Xms64m", "-XX:+UseSerialGC");

    private final Path dir;
    private final List<Path> configs;
    private final Path controllerConfig;
    private final List<ChildJvm> nodes;
    private final Description description;
    private ChildJvm controller;

    private ProcessKafkaCluster(Path dir, List<Path> configs, Path controllerConfig, String bootstrap) {
        this.dir = dir;
        this.configs = configs;
        this.controllerConfig = controllerConfig;
        this.nodes = new ArrayList<>(java.util.Collections.nCopies(configs.size(), (ChildJvm) null));
        this.description = new Description(Mode.PROCESS, bootstrap, configs.size());
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
            KafkaNodeConfigs.Prepared prepared = KafkaNodeConfigs.prepare(count, brokerProps, external, JVM_ARGS);
            boolean combined = prepared.controllerConfig() == null;
            ProcessKafkaCluster cluster = new ProcessKafkaCluster(prepared.dir(), prepared.configs(), prepared.controllerConfig(),
                prepared.bootstrap());
            try {
                cluster.launchController();
                for (int i = 0; i < count; i++) {
                    cluster.launch(i);
                }
                for (int i = 0; i < count; i++) {
                    cluster.awaitBroker(i);
                }
            } catch (RuntimeException e) {
                cluster.close();
                throw e;
            }
            LOGGER.atInfo().addKeyValue("brokers", count).addKeyValue("combined", combined)
                .addKeyValue("bootstrap", cluster.bootstrapServers())
                .addKeyValue("ms", (System.nanoTime() - started) / 1_000_000).log("Kafka broker processes started");
            return cluster;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the Kafka broker processes", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting Kafka broker processes", e);
        }
    }

    private void launchController() throws IOException {
        if (controllerConfig != null) {
            controller = new ChildJvm(dir.resolve("controller.log"), JVM_ARGS, kafka.Kafka.class, controllerConfig.toString());
        }
    }

    private void launch(int i) throws IOException {
        nodes.set(i, new ChildJvm(dir.resolve("node-" + i + ".log"), JVM_ARGS, kafka.Kafka.class, configs.get(i).toString()));
    }

    /** Waits until broker {@code index} (0-based) is registered, failing early if its process exits. */
    private void awaitBroker(int index) throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        String last = "no answer";
        ChildJvm node = nodes.get(index);
        try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
            CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 5_000, CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000))) {
            while (System.nanoTime() < deadline) {
                if (!node.isAlive()) {
                    throw new IllegalStateException("Kafka broker " + (index + 1) + " exited; see " + node.log());
                }
                if (controller != null && !controller.isAlive()) {
                    throw new IllegalStateException("Kafka controller exited; see " + controller.log());
                }
                try {
                    if (admin.describeCluster(new DescribeClusterOptions().timeoutMs(5_000)).nodes().get().stream()
                        .anyMatch(n -> n.id() == index + 1)) {
                        return;
                    }
                    last = "broker " + (index + 1) + " not registered yet";
                } catch (java.util.concurrent.ExecutionException e) {
                    last = e.getCause().toString();
                }
                java.util.concurrent.TimeUnit.MILLISECONDS.sleep(200);
            }
        }
        throw new IllegalStateException("Kafka broker " + (index + 1) + " not ready within " + READY_TIMEOUT + ": " + last
            + "; logs in " + dir);
    }

    @Override
    public Description describe() {
        return description;
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

    /** Starts a killed broker again on its data and ports; returns once it is registered. */
    @Override
    public void startBroker(int index) {
        ChildJvm node = node(index);
        if (node.isAlive()) {
            throw new IllegalStateException("Kafka node " + (index + 1) + " is running");
        }
        LOGGER.atInfo().addKeyValue("node", index + 1).log("starting Kafka broker process");
        try {
            launch(index);
            awaitBroker(index);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting Kafka node " + (index + 1), e);
        }
    }

    @Override
    public boolean isBrokerRunning(int index) {
        return node(index).isAlive();
    }

    private ChildJvm node(int index) {
        if (index < 0 || index >= nodes.size()) {
            throw new IllegalArgumentException("broker index " + index + ": 0-" + (nodes.size() - 1));
        }
        return nodes.get(index);
    }

    @Override
    public void close() {
        List<ChildJvm> all = new ArrayList<>(nodes);
        all.add(controller);
        for (ChildJvm node : all) {
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
