package dev.handoff.testkit;

import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.common.GrpcServer;
import dev.handoff.protocol.grpc.FetchRequest;
import dev.handoff.protocol.grpc.FileChunk;
import dev.handoff.protocol.grpc.PartStoreGrpc;
import dev.handoff.protocol.grpc.ProtoMapping;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
        FileChunkPump.serve(observer, files(dir), chunk);
    }

    private static List<Path> files(Path dir) {
        List<Path> out = new ArrayList<>();
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
}
