package dev.handoff.testkit;

import com.google.protobuf.ByteString;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.common.GrpcServer;
import dev.handoff.protocol.grpc.FetchRequest;
import dev.handoff.protocol.grpc.FileChunk;
import dev.handoff.protocol.grpc.PartStoreGrpc;
import dev.handoff.protocol.grpc.ProtoMapping;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.stream.Stream;

/**
 * A stand-in for the producer's {@code PartStore.Fetch} server, on a loopback port: serves bundles from
 * {@code <root>/<liaison>/<group>/<shard>/<partIdHex>/<type>/<file>}, part types and files in name order, with
 * server-side flow control (a chunk is read from disk only when the call is ready). NOT_FOUND when the bundle's
 * directory does not exist. No manifest and no checksums: what is on disk is what is served. Thread-safe.
 */
public final class FakePartStore extends PartStoreGrpc.PartStoreImplBase implements AutoCloseable {
    private static final int MAX_CHUNK = 1024 * 1024;
    private final Path root;
    private final GrpcServer server;

    public FakePartStore(Path root) throws IOException {
        this.root = root;
        this.server = GrpcServer.start("fake-part-store", "localhost", 0, null, List.of(this));
    }

    /** {@code localhost:<port>}: the {@code source} of the enqueue records that point here. */
    public String address() {
        return "localhost:" + server.port();
    }

    /** Where a bundle's part-type directories go to be served. */
    public Path bundleDir(PartKey key) {
        return root.resolve(key.liaison()).resolve(key.group()).resolve(Integer.toString(key.shard())).resolve(key.partIdHex());
    }

    @Override
    public void fetch(FetchRequest request, StreamObserver<FileChunk> observer) {
        Path dir = bundleDir(ProtoMapping.fromProto(request.getPart()));
        if (!Files.isDirectory(dir)) {
            observer.onError(Status.NOT_FOUND.withDescription("no bundle " + dir.getFileName()).asRuntimeException());
            return;
        }
        int chunk = request.getChunkSize() == 0 ? MAX_CHUNK : Math.min(MAX_CHUNK, request.getChunkSize());
        Streamer streamer = new Streamer((ServerCallStreamObserver<FileChunk>) observer, files(dir), chunk);
        streamer.call.setOnCancelHandler(streamer::close);
        streamer.call.setOnReadyHandler(streamer::pump);
        streamer.pump();
    }

    private static Deque<Path> files(Path dir) {
        Deque<Path> out = new ArrayDeque<>();
        try (Stream<Path> types = Files.list(dir)) {
            for (Path type : types.sorted().toList()) {
                try (Stream<Path> files = Files.list(type)) {
                    files.sorted().forEach(out::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    @Override
    public void close() {
        server.close();
    }

    /** Streams one bundle's files chunk by chunk while the call is ready. */
    private static final class Streamer {
        private final ServerCallStreamObserver<FileChunk> call;
        private final Deque<Path> files;
        private final int chunkSize;
        private FileChannel current;
        private Path currentPath;
        private long offset;
        private boolean finished;

        Streamer(ServerCallStreamObserver<FileChunk> call, Deque<Path> files, int chunkSize) {
            this.call = call;
            this.files = files;
            this.chunkSize = chunkSize;
        }

        synchronized void pump() {
            try {
                while (!finished && call.isReady()) {
                    if (current == null) {
                        if (files.isEmpty()) {
                            finished = true;
                            call.onCompleted();
                            return;
                        }
                        currentPath = files.poll();
                        current = FileChannel.open(currentPath);
                        offset = 0;
                    }
                    sendOne();
                }
            } catch (IOException e) {
                finished = true;
                call.onError(Status.INTERNAL.withDescription(e.toString()).asRuntimeException());
            }
        }

        private void sendOne() throws IOException {
            ByteBuffer buf = ByteBuffer.allocate(chunkSize);
            while (buf.hasRemaining() && current.read(buf) > 0) {
                // fill the chunk
            }
            buf.flip();
            boolean last = offset + buf.remaining() >= current.size();
            call.onNext(FileChunk.newBuilder().setType(currentPath.getParent().getFileName().toString())
                .setName(currentPath.getFileName().toString()).setOffset(offset).setData(ByteString.copyFrom(buf))
                .setLast(last).build());
            offset += buf.limit();
            if (last) {
                current.close();
                current = null;
            }
        }

        synchronized void close() {
            finished = true;
            if (current != null) {
                try {
                    current.close();
                } catch (IOException e) {
                    // nothing to do for a cancelled fetch
                }
            }
        }
    }
}
