package dev.handoff.testkit;

import dev.handoff.embedded.EmbeddedKafkaCluster;
import dev.handoff.testkit.ProcessKafkaCluster.ExternalListener;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.StringJoiner;
import org.apache.kafka.common.Uuid;

/**
 * Writes and formats (with Kafka's own {@code StorageTool}) the configuration of each process of a
 * {@link ProcessKafkaCluster}: one combined broker+controller, or n brokers beside one dedicated controller.
 */
final class KafkaNodeConfigs {
    /** Node id of the dedicated controller of a multi-broker cluster (brokers are 1..n). */
    private static final int CONTROLLER_ID = 1000;

    private KafkaNodeConfigs() {
    }

    /** What {@link #prepare} made: the data directory, each broker's config, the controller's (null if combined). */
    record Prepared(Path dir, List<Path> configs, Path controllerConfig, String bootstrap) {
    }

    static Prepared prepare(int count, Map<String, String> brokerProps, List<ExternalListener> external,
                            List<String> jvmArgs) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("handoff-kafka-");
        int[] ports = FreePorts.take(count + 1);
        int[] brokerPorts = java.util.Arrays.copyOf(ports, count);
        int controllerPort = ports[count];
        boolean combined = count == 1;
        int controllerId = combined ? 1 : CONTROLLER_ID;
        String voters = controllerId + "@127.0.0.1:" + controllerPort;
        StringJoiner bootstrap = new StringJoiner(",");
        for (int port : brokerPorts) {
            bootstrap.add("127.0.0.1:" + port);
        }
        String clusterId = Uuid.randomUuid().toString();
        Path controller = null;
        if (!combined) {
            Properties p = common(dir, "controller", count, voters, brokerProps);
            p.put("process.roles", "controller");
            p.put("node.id", Integer.toString(controllerId));
            p.put("listeners", "CONTROLLER://127.0.0.1:" + controllerPort);
            p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT");
            controller = write(dir, "controller", p);
            format(dir, "controller", controller, clusterId, jvmArgs);
        }
        List<Path> configs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ExternalListener extra = i < external.size() ? external.get(i) : null;
            Properties p = common(dir, "node-" + i, count, voters, brokerProps);
            p.put("process.roles", combined ? "broker,controller" : "broker");
            p.put("node.id", Integer.toString(i + 1));
            String listeners = "PLAINTEXT://127.0.0.1:" + brokerPorts[i]
                + (combined ? ",CONTROLLER://127.0.0.1:" + controllerPort : "");
            String advertised = "PLAINTEXT://127.0.0.1:" + brokerPorts[i];
            String protocols = "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT";
            if (extra != null) {
                listeners += ",EXTERNAL://127.0.0.1:" + extra.port();
                advertised += ",EXTERNAL://" + extra.advertised();
                protocols += ",EXTERNAL:PLAINTEXT";
            }
            p.put("listeners", listeners);
            p.put("advertised.listeners", advertised);
            p.put("inter.broker.listener.name", "PLAINTEXT");
            p.put("listener.security.protocol.map", protocols);
            p.putAll(brokerProps);
            Path config = write(dir, "node-" + i, p);
            format(dir, "node-" + i, config, clusterId, jvmArgs);
            configs.add(config);
        }
        return new Prepared(dir, configs, controller, bootstrap.toString());
    }

    /** Settings every process shares: handoff's broker defaults, the quorum, its own data directory. */
    private static Properties common(Path dir, String name, int brokers, String voters, Map<String, String> overrides) {
        Properties p = new Properties();
        p.putAll(EmbeddedKafkaCluster.brokerDefaults(brokers));
        p.put("controller.quorum.voters", voters);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("log.dirs", dir.resolve(name).resolve("data").toString());
        p.putAll(overrides);
        return p;
    }

    private static Path write(Path dir, String name, Properties p) throws IOException {
        Path config = dir.resolve(name + ".properties");
        try (Writer w = Files.newBufferedWriter(config)) {
            p.store(w, "handoff test Kafka " + name);
        }
        return config;
    }

    private static void format(Path dir, String name, Path config, String clusterId, List<String> jvmArgs)
        throws IOException, InterruptedException {
        try (ChildJvm tool = new ChildJvm(dir.resolve(name + "-format.log"), jvmArgs, kafka.tools.StorageTool.class,
            "format", "-t", clusterId, "-c", config.toString())) {
            int exit = tool.waitFor(60);
            if (exit != 0) {
                throw new IllegalStateException("kafka-storage format of " + name + " exited " + exit + ": "
                    + String.join("\n", tool.lines()));
            }
        }
    }

}
