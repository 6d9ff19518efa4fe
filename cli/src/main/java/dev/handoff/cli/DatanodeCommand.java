package dev.handoff.cli;

import dev.handoff.datanode.DataNode;
import dev.handoff.datanode.DataNodeSettings;
import dev.handoff.protocol.NodeAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code handoff datanode}: the reference PartSync receiver. */
@Command(name = "datanode", mixinStandardHelpOptions = true,
    description = "Reference receiver of handoff.v1.PartSync: verifies size and CRC32C of every file, applies each "
        + "bundle atomically and idempotently (APPLIED / DUPLICATE / REJECTED).")
final class DatanodeCommand implements Callable<Integer> {
    @Option(names = "--listen", paramLabel = "HOST:PORT",
        description = "gRPC address to serve PartSync and grpc.health.v1 on (default: ${DEFAULT-VALUE}).")
    String listen;
    @Option(names = "--dir", required = true, paramLabel = "DIR",
        description = "Where applied bundles live (parts/, tmp/, applied.log).")
    Path dir;
    @Option(names = "--test-latency-per-session", converter = DurationConverter.class,
        paramLabel = "DURATION", description = "FOR TESTS AND BENCHMARKS ONLY: delay added to every session's answer but a duplicate's "
            + "(default: ${DEFAULT-VALUE}).")
    Duration testLatency;
    @Option(names = "--test-failure-rate", paramLabel = "0..1",
        description = "FOR TESTS AND BENCHMARKS ONLY: fraction of sessions failed with UNAVAILABLE (default: ${DEFAULT-VALUE}).")
    double testFailureRate;
    @Option(names = "--unsafe-no-fsync-benchmark-only",
        description = "BENCHMARKS ONLY, UNSAFE: verify sizes and CRC32C but fsync nothing; an APPLIED answer does "
            + "not survive a power loss. Measures what the pipeline costs without the disk.")
    boolean unsafeNoFsync;
    @Mixin
    TlsOptions tls;
    @Mixin
    RoleRunner runner;
    @Mixin
    VerboseOption verbose;

    DataNodeSettings settings() {
        NodeAddress.require("--listen", listen);
        return DataNodeSettings.builder(dir)
            .listen(NodeAddress.host(listen), NodeAddress.port(listen))
            .tls(tls.config())
            .testLatencyPerSession(testLatency)
            .testFailureRate(testFailureRate)
            .unsafeNoFsyncBenchmarkOnly(unsafeNoFsync).build();
    }

    @Override
    public Integer call() throws Exception {
        DataNodeSettings settings = settings();
        DataNode node = new DataNode(settings, runner.registry()).start();
        return runner.runUntilStopped(RoleRunner.Role.of(node::isReady, node),
            "datanode: serving PartSync on " + node.address() + ", dir " + dir);
    }
}
