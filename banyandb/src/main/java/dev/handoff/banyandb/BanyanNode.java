package dev.handoff.banyandb;

import dev.handoff.banyandb.grpc.cluster.ChunkedSyncServiceGrpc;
import dev.handoff.banyandb.grpc.cluster.SyncPartRequest;
import dev.handoff.banyandb.grpc.cluster.SyncPartResponse;
import dev.handoff.protocol.common.GrpcServer;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TEST RECEIVER that behaves like a BanyanDB data node's {@code banyandb.cluster.v1.ChunkedSyncService/SyncPart}
 * for trace parts, quirks included, and writes received parts in BanyanDB's layout ({@link ReceiverLayout}); it is
 * not BanyanDB (no queries, no series index, no merges). Serves {@code grpc.health.v1} ({@code ""} SERVING, as a
 * data node). {@link #start()} once, {@link #close()} once; the query methods are thread-safe.
 */
public final class BanyanNode implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(BanyanNode.class);

    private final BanyanNodeSettings settings;
    private final Clock clock;
    private final AtomicInteger sessions = new AtomicInteger();
    private final AtomicLong commits = new AtomicLong();
    private ReceiverLayout layout;
    private GrpcServer server;
    private volatile int port;

    /** A session's injected fault (tests only). */
    record Fault(boolean corrupt, boolean busyOnce, int chunk) {
        boolean corrupts(int index) {
            return corrupt && index == chunk;
        }

        boolean busy(int index) {
            return busyOnce && index == chunk;
        }

        /** A copy of {@code data} with its first bit flipped: what a corrupted chunk reads as. */
        static java.nio.ByteBuffer corrupted(java.nio.ByteBuffer data) {
            java.nio.ByteBuffer copy = java.nio.ByteBuffer.allocate(data.remaining()).put(data.duplicate());
            copy.flip();
            if (copy.hasRemaining()) {
                copy.put(0, (byte) (copy.get(0) ^ 1));
            }
            return copy;
        }
    }

    /** What a stream needs of its node: its versions, its layout, each session's fault, and a commit to count. */
    record Context(BanyanVersions versions, ReceiverLayout layout, Supplier<Fault> faults, Runnable onCommit) {
        Fault nextFault() {
            return faults.get();
        }

        void committed() {
            onCommit.run();
        }
    }

    public BanyanNode(BanyanNodeSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    public synchronized BanyanNode start() throws IOException {
        if (layout != null) {
            throw new IllegalStateException("a node starts once");
        }
        layout = new ReceiverLayout(settings.dir());
        Context context = new Context(settings.versions(), layout, this::nextFault, commits::incrementAndGet);
        ChunkedSyncServiceGrpc.ChunkedSyncServiceImplBase service = new ChunkedSyncServiceGrpc.ChunkedSyncServiceImplBase() {
            @Override
            public StreamObserver<SyncPartRequest> syncPart(StreamObserver<SyncPartResponse> responses) {
                return new ReceiverStream(responses, context, clock);
            }
        };
        server = GrpcServer.start("banyandb-node", settings.host(), settings.port(), settings.tls(), List.of(service));
        port = server.port();
        LOGGER.atInfo().addKeyValue("port", server.port()).addKeyValue("dir", settings.dir())
            .addKeyValue("versions", settings.versions()).log("banyandb test receiver started");
        return this;
    }

    /** The injected fault of the next session: the first sessions corrupt a chunk, the next are busy once. */
    private Fault nextFault() {
        int n = sessions.getAndIncrement();
        boolean corrupt = n < settings.testCorruptSessions();
        boolean busy = !corrupt && n < settings.testCorruptSessions() + settings.testBusySessions();
        return new Fault(corrupt, busy, settings.testFaultChunk());
    }

    public int port() {
        return port;
    }

    /** {@code host:port} for a client, {@code localhost} for a wildcard address. */
    public String address() {
        String host = settings.host().equals("0.0.0.0") || settings.host().equals("::") ? "localhost" : settings.host();
        return host + ":" + port();
    }

    public Path dir() {
        return settings.dir();
    }

    /** Every part committed (by reading {@code commits.log}, so it also covers earlier runs on the same directory). */
    public List<ReceiverLayout.Commit> commitLog() throws IOException {
        return layout.commits();
    }

    /** The commits of the sender's part {@code partId} in {@code group}/{@code shard}: more than one is a duplicate. */
    public List<ReceiverLayout.Commit> commitsOf(String group, int shard, long partId) throws IOException {
        return commitLog().stream().filter(c -> c.group().equals(group) && c.shard() == shard && c.senderPartId() == partId).toList();
    }

    /** Sessions started (metadata chunks seen) since start. */
    public int sessions() {
        return sessions.get();
    }

    /** Parts committed since start. */
    public long commits() {
        return commits.get();
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
