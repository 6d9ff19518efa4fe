package dev.handoff.cli;

import dev.handoff.banyandb.BanyanNode;
import dev.handoff.banyandb.BanyanNodeSettings;
import dev.handoff.protocol.NodeAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code handoff banyandb-node}: a TEST receiver that behaves like a BanyanDB data node's part sync. */
@Command(name = "banyandb-node", mixinStandardHelpOptions = true,
    description = "TEST RECEIVER, not BanyanDB: serves banyandb.cluster.v1.ChunkedSyncService/SyncPart and grpc.health.v1 "
        + "with a BanyanDB data node's rules and quirks, writes received trace parts in BanyanDB's layout under --dir "
        + "(<group>/shard-<N>/<id>/, sidx/<rule>/<id>/) and logs every commit to <dir>/commits.log.")
final class BanyanNodeCommand implements Callable<Integer> {
    @Option(names = "--listen", defaultValue = "0.0.0.0:" + BanyanNodeSettings.DEFAULT_PORT, paramLabel = "HOST:PORT",
        description = "gRPC address (default: ${DEFAULT-VALUE}).")
    String listen;
    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Where received parts are written.")
    Path dir;
    @Option(names = "--api-version", defaultValue = "0.10", paramLabel = "VERSION",
        description = "The API version this node runs (default: ${DEFAULT-VALUE}).")
    String apiVersion;
    @Option(names = "--file-format-version", defaultValue = "1.5.0", paramLabel = "VERSION",
        description = "The file format version this node writes (default: ${DEFAULT-VALUE}).")
    String fileFormatVersion;
    @Option(names = "--compatible-file-format-versions", defaultValue = "1.4.0,1.5.0", paramLabel = "V,...",
        description = "File format versions this node accepts (default: ${DEFAULT-VALUE}).")
    String compatible;
    @Option(names = "--test-corrupt-sessions", defaultValue = "0", paramLabel = "N",
        description = "FOR TESTS ONLY: the first N sessions see chunk --test-fault-chunk corrupted (CHECKSUM_MISMATCH).")
    int corruptSessions;
    @Option(names = "--test-busy-sessions", defaultValue = "0", paramLabel = "N",
        description = "FOR TESTS ONLY: the next N sessions are answered SERVER_BUSY on chunk --test-fault-chunk.")
    int busySessions;
    @Option(names = "--test-fault-chunk", defaultValue = "1", paramLabel = "INDEX",
        description = "FOR TESTS ONLY: the chunk index the test faults hit (default: ${DEFAULT-VALUE}).")
    int faultChunk;
    @Mixin
    TlsOptions tls;
    @Mixin
    RoleRunner runner;
    @Mixin
    VerboseOption verbose;

    @Override
    public Integer call() throws Exception {
        NodeAddress.require("--listen", listen);
        BanyanNodeSettings settings = BanyanNodeSettings.forTests(dir)
            .withListen(NodeAddress.host(listen), NodeAddress.port(listen))
            .withVersions(SinkOptions.versions(apiVersion, fileFormatVersion, compatible))
            .withTls(tls.config())
            .withTestFaults(corruptSessions, busySessions, faultChunk);
        BanyanNode node = new BanyanNode(settings, Clock.systemUTC()).start();
        return runner.runUntilStopped(RoleRunner.Role.of(() -> true, node),
            "banyandb-node (TEST RECEIVER): serving SyncPart on " + node.address() + ", " + settings.versions() + ", dir " + dir);
    }
}
