package dev.handoff.datanode;

import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.PartTypeEntry;
import dev.handoff.protocol.common.Daemons;
import dev.handoff.protocol.common.Fsyncs;
import dev.handoff.protocol.common.GrpcServer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference data node: serves {@code handoff.v1.PartSync} and {@code grpc.health.v1}, stores applied
 * bundles under {@code <dataDir>/parts/}, and counts applications per PartKey in {@code <dataDir>/applied.log}
 * (the oracle of "applied exactly once"). {@link #start()} once, {@link #close()} once; the query methods are
 * thread-safe. Owns the gRPC server, the applied log and (with test latency) one scheduler thread.
 */
public final class DataNode implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(DataNode.class);

    /** Threads that fsync the files and directories of committing sessions concurrently (see {@link Fsyncs}). */
    private static final int FSYNC_THREADS = 32;

    private final DataNodeSettings settings;
    private final DataNodeMetrics metrics;
    private volatile BundleStore store;
    private volatile GrpcServer server;
    private volatile ScheduledExecutorService delayer;
    private volatile Fsyncs fsyncs;
    private volatile boolean closed;

    public DataNode(DataNodeSettings settings, MeterRegistry registry) {
        this.settings = settings;
        this.metrics = DataNodeMetrics.micrometer(registry);
        FunctionCounter.builder("handoff.datanode.fsyncs", this, DataNode::fsyncs)
            .description("fsyncs issued: files, directories and applied.log (group commits count once)")
            .register(registry);
    }

    /** A data node whose metrics go to a private registry. */
    public DataNode(DataNodeSettings settings) {
        this(settings, new SimpleMeterRegistry());
    }

    /** Removes what a crash left in {@code tmp/}, loads the applied log, then starts serving. */
    public synchronized DataNode start() throws IOException {
        if (server != null || closed) {
            throw new IllegalStateException("a data node starts once");
        }
        if (settings.unsafeNoFsyncBenchmarkOnly()) {
            LOGGER.atWarn().addKeyValue("dir", settings.dataDir())
                .log("BENCHMARK ONLY: bundles are not fsynced; an APPLIED answer does not survive a power loss");
        }
        fsyncs = settings.unsafeNoFsyncBenchmarkOnly() ? Fsyncs.noneBenchmarkOnly()
            : Fsyncs.parallel(FSYNC_THREADS, "datanode-fsync");
        store = BundleStore.open(settings.dataDir(), fsyncs, settings.fsyncWait());
        if (!settings.testLatencyPerSession().isZero()) {
            delayer = Executors.newSingleThreadScheduledExecutor(Daemons.factory("datanode-test-latency"));
        }
        PartSyncService service = new PartSyncService(store, metrics, settings,
            () -> ThreadLocalRandom.current().nextDouble(), delayer, fsyncs);
        try {
            server = GrpcServer.start("datanode", settings.listenHost(), settings.port(), settings.tls(), List.of(service));
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
        LOGGER.atInfo().addKeyValue("port", server.port()).addKeyValue("dir", settings.dataDir())
            .addKeyValue("applied", store.totalApplied()).log("data node started");
        return this;
    }

    /** The port it listens on (the chosen one when configured with 0). */
    public int port() {
        return requireStarted().port();
    }

    /** {@code host:port} to give a client, with {@code localhost} for a wildcard listen address. */
    public String address() {
        String host = settings.listenHost();
        return (host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host) + ":" + port();
    }

    /** Serving: started and not closed. */
    public boolean isReady() {
        return server != null && !closed;
    }

    public Path dataDir() {
        return settings.dataDir();
    }

    /** Where the bundle of {@code key} lives once applied: {@code parts/<liaison>/<group>/<shard>/<partIdHex>}. */
    public Path bundleDir(PartKey key) {
        return requireStore().bundleDir(key);
    }

    /** How many times {@code key} was applied: 0 or 1, unless something is badly wrong. */
    public int appliedCount(PartKey key) {
        return requireStore().appliedCount(key);
    }

    /** Every PartKey applied at least once. */
    public Set<PartKey> appliedParts() {
        return requireStore().appliedParts();
    }

    /** Number of APPLIED answers ever given over this directory. */
    public long totalApplied() {
        return requireStore().totalApplied();
    }

    /**
     * fsyncs issued since start (files, directories, {@code applied.log}; an fsync shared by a group commit counts
     * once); with {@link #totalApplied()} this gives fsyncs per bundle. Also the metric {@code handoff.datanode.fsyncs}.
     */
    public long fsyncs() {
        Fsyncs f = fsyncs;
        BundleStore s = store;
        return (f == null ? 0 : f.issued()) + (s == null ? 0 : s.fsyncs());
    }

    /** Re-reads the applied bundle of {@code key}: one line per problem, empty when it matches {@code expected}. */
    public List<String> verify(PartKey key, List<PartTypeEntry> expected) throws IOException {
        return BundleVerifier.verify(bundleDir(key), expected);
    }

    private GrpcServer requireStarted() {
        GrpcServer s = server;
        if (s == null) {
            throw new IllegalStateException("the data node is not started");
        }
        return s;
    }

    private BundleStore requireStore() {
        BundleStore s = store;
        if (s == null) {
            throw new IllegalStateException("the data node is not started");
        }
        return s;
    }

    /** Stops serving (sessions in flight are cancelled and leave nothing visible), then closes the log. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (server != null) {
            server.close();
        }
        if (delayer != null) {
            delayer.shutdownNow();
        }
        if (store != null) {
            store.close();
        }
        if (fsyncs != null) {
            fsyncs.close();
        }
        LOGGER.atInfo().addKeyValue("dir", settings.dataDir()).log("data node stopped");
    }
}
