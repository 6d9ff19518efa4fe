package dev.handoff.cli;

import dev.handoff.protocol.common.TopicAdmin.TopicSettings;
import dev.handoff.topology.TopologyApp;
import dev.handoff.topology.TopologySettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code handoff topology}: the Kafka Streams application. */
@Command(name = "topology", mixinStandardHelpOptions = true,
    description = "Kafka Streams (exactly_once_v2): folds health, control, enqueue records and completions into "
        + "handoff.node-status, and releases stored parts on handoff.released.")
final class TopologyCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Option(names = "--application-id", paramLabel = "ID",
        description = "Kafka Streams application.id (default: ${DEFAULT-VALUE}); instances with the same id share the work.")
    String applicationId;
    @Option(names = "--state-dir", paramLabel = "DIR",
        description = "Local state store directory; losing it costs only a restore from the changelogs (default: ${DEFAULT-VALUE}).")
    Path stateDir;
    @Option(names = "--replication-factor", paramLabel = "N",
        description = "Replication factor of the internal changelog and repartition topics; -1 is the broker's "
            + "default.replication.factor (default: ${DEFAULT-VALUE}; 3 in production).")
    int replicationFactor;
    @Option(names = "--commit-interval", converter = DurationConverter.class, paramLabel = "DURATION",
        description = "How often state and outputs are committed; with exactly-once also the latency of every output "
            + "(default: ${DEFAULT-VALUE}).")
    Duration commitInterval;
    @Option(names = "--internal-partitions", paramLabel = "N",
        description = "Partitions of the repartition topics: the most instances x threads that share the work; fixed "
            + "once the topics exist (default: ${DEFAULT-VALUE}).")
    int internalPartitions;
    @Option(names = "--stream-threads", paramLabel = "N", description = "Stream threads in this instance (default: ${DEFAULT-VALUE}).")
    int streamThreads;
    @Option(names = "--metadata-max-age", converter = DurationConverter.class, paramLabel = "DURATION",
        description = "How soon a node topic created later is read (default: ${DEFAULT-VALUE}).")
    Duration metadataMaxAge;
    @Option(names = "--create-topics", negatable = true, fallbackValue = "true", paramLabel = "BOOLEAN",
        description = "Create the missing fixed topics at start (default: ${DEFAULT-VALUE}).")
    boolean createTopics;
    @Option(names = "--partitions", paramLabel = "N",
        description = "Partitions of the fixed topics it creates (default: ${DEFAULT-VALUE}).")
    int partitions;
    @Option(names = "--topic-replication-factor", paramLabel = "N",
        description = "Replication factor of the fixed topics it creates (default: ${DEFAULT-VALUE}).")
    short topicReplicationFactor;
    @Option(names = "--min-insync-replicas", paramLabel = "N",
        description = "min.insync.replicas of the fixed topics it creates (default: the broker's).")
    Integer minInsyncReplicas;
    @Option(names = "--describe", description = "Print the topology (every named processor, store and topic) and exit.")
    boolean describe;
    @Mixin
    RoleRunner runner;
    @Spec
    CommandSpec spec;

    TopologySettings settings() {
        return TopologySettings.builder(common.kafka())
            .applicationId(applicationId)
            .topicPrefix(common.topicPrefix)
            .stateDir(stateDir)
            .replicationFactor(replicationFactor)
            .commitInterval(commitInterval)
            .internalPartitions(internalPartitions)
            .streamThreads(streamThreads)
            .metadataMaxAge(metadataMaxAge)
            .createTopics(createTopics)
            .topics(new TopicSettings(partitions, topicReplicationFactor, minInsyncReplicas))
            .build();
    }

    @Override
    public Integer call() throws Exception {
        if (describe) {
            spec.commandLine().getOut().println(TopologyApp.describe(settings()));
            return 0;
        }
        TopologyApp app = new TopologyApp(settings(), runner.registry());
        app.start();
        return runner.runUntilStopped(RoleRunner.Role.of(app::isReady, app::failure, app),
            "topology: running as application " + applicationId);
    }
}
