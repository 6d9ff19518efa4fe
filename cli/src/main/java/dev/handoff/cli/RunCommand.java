package dev.handoff.cli;

import dev.handoff.datanode.DataNode;
import dev.handoff.protocol.common.Durable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code handoff run}: every role in one process, on an embedded broker unless one is given. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "All roles in one process: topology, replayers, a producer (the liaison's part store) and, "
        + "optionally, reference data nodes (BanyanDB test receivers with --sink banyandb). Embedded Kafka unless "
        + "--bootstrap-servers is given.")
final class RunCommand implements Callable<Integer> {
    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
        description = "Kafka to use (default: an embedded single broker whose data lives only as long as the process).")
    String bootstrapServers;
    @Option(names = "--data-dir", defaultValue = "handoff-data", paramLabel = "DIR",
        description = "Part store, topology state and data nodes' directories (default: ${DEFAULT-VALUE}).")
    Path dataDir;
    @Option(names = "--liaison", defaultValue = "liaison-0", paramLabel = "NAME", description = "The producer's liaison name (default: ${DEFAULT-VALUE}).")
    String liaison;
    @Option(names = "--producer-port", paramLabel = "PORT",
        description = "The producer's PartStore gRPC port on localhost (default: ${DEFAULT-VALUE}).")
    int producerPort;
    @Option(names = "--enqueue-port", paramLabel = "PORT",
        description = "The producer's Enqueue gRPC port, on 127.0.0.1 only, with --enqueue-root (default: ${DEFAULT-VALUE}).")
    int enqueuePort;
    @Option(names = "--enqueue-root", paramLabel = "DIR",
        description = "Accept `handoff enqueue` for part directories under DIR (default: not served).")
    Path enqueueRoot;
    @Option(names = "--datanodes", defaultValue = "0", paramLabel = "N",
        description = "Reference data nodes to run beside the roles, on free ports (default: ${DEFAULT-VALUE}).")
    int dataNodes;
    @Option(names = "--replayers", defaultValue = "1", paramLabel = "N", description = "Replayer instances (default: ${DEFAULT-VALUE}).")
    int replayers;
    @Mixin
    StoreLimitOptions storeLimits;
    @Mixin
    TopicOptions topicOptions;
    @Mixin
    SinkOptions sink;
    @Mixin
    RoleRunner runner;
    @Mixin
    VerboseOption verbose;

    @Override
    public Integer call() throws Exception {
        if (dataNodes < 0 || replayers < 1) {
            throw new UsageException("--datanodes: 0 or more; --replayers: 1 or more");
        }
        Durable.createDirectories(dataDir);
        LocalStack stack = LocalStack.start(dataDir, runner.registry(), new LocalStack.Plan(
            bootstrapServers, dataNodes, replayers, liaison, Duration.ofSeconds(1), producerPort, enqueuePort, enqueueRoot,
            storeLimits.maxBytes(), storeLimits.maxPercent(), topicOptions.settings()).withSink(sink));
        List<String> nodes = new ArrayList<>();
        for (DataNode d : stack.dataNodes()) {
            nodes.add(d.address());
        }
        stack.banyanNodes().forEach(b -> nodes.add(b.address()));
        String ready = "run: Kafka " + stack.bootstrapServers() + ", producer " + stack.producer().advertisedAddress()
            + (nodes.isEmpty() ? "" : ", data nodes " + String.join(",", nodes)) + ", " + replayers + " replayer(s); Ctrl-C stops";
        return runner.runUntilStopped(RoleRunner.Role.of(stack::isReady, stack), ready);
    }
}
