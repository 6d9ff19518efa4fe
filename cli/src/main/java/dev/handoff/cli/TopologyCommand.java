package dev.handoff.cli;

import dev.handoff.topology.TopologyApp;
import dev.handoff.topology.TopologySettings;
import java.nio.file.Path;
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
    @Option(names = "--application-id", defaultValue = TopologySettings.DEFAULT_APPLICATION_ID, paramLabel = "ID",
        description = "Kafka Streams application.id (default: ${DEFAULT-VALUE}); instances with the same id share the work.")
    String applicationId;
    @Option(names = "--state-dir", paramLabel = "DIR", description = "Local state store directory (default: a directory under java.io.tmpdir).")
    Path stateDir;
    @Option(names = "--replication-factor", defaultValue = "1", paramLabel = "N",
        description = "Replication factor of the internal changelog and repartition topics (default: ${DEFAULT-VALUE}; 3 in production).")
    int replicationFactor;
    @Option(names = "--internal-partitions", paramLabel = "N", description = "Partitions of the repartition topics.")
    Integer internalPartitions;
    @Option(names = "--describe", description = "Print the topology (every named processor, store and topic) and exit.")
    boolean describe;
    @Mixin
    RoleRunner runner;
    @Spec
    CommandSpec spec;

    TopologySettings settings() {
        TopologySettings s = TopologySettings.defaults(common.kafka())
            .withApplicationId(applicationId)
            .withTopicPrefix(common.topicPrefix)
            .withReplicationFactor(replicationFactor);
        if (stateDir != null) {
            s = s.withStateDir(stateDir);
        }
        if (internalPartitions != null) {
            s = s.withInternalPartitions(internalPartitions);
        }
        return s;
    }

    @Override
    public Integer call() throws Exception {
        if (describe) {
            spec.commandLine().getOut().println(TopologyApp.describe(settings()));
            return 0;
        }
        TopologyApp app = new TopologyApp(settings(), runner.registry());
        app.start();
        return runner.runUntilStopped("topology", RoleRunner.Role.of(app::isReady, app::failure, app),
            "topology: running as application " + applicationId,
            spec.commandLine().getOut());
    }
}
