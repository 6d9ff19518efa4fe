package dev.handoff.benchmarks;

import dev.handoff.protocol.common.GrpcServer;
import dev.handoff.protocol.grpc.FetchRequest;
import dev.handoff.protocol.grpc.FileChunk;
import dev.handoff.protocol.grpc.PartStoreGrpc;
import dev.handoff.testkit.FileChunkPump;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * A bare {@code PartStore.Fetch} server for baselines: streams the files a function picks for the request,
 * in chunks read only while the call is ready (gRPC flow control, {@link FileChunkPump}), no manifest, no checksums.
 */
final class FileServer extends PartStoreGrpc.PartStoreImplBase implements AutoCloseable {
    private final Function<FetchRequest, List<Path>> files;
    private final int chunkSize;
    private final GrpcServer server;

    FileServer(Function<FetchRequest, List<Path>> files, int chunkSize) throws IOException {
        this.files = files;
        this.chunkSize = chunkSize;
        this.server = GrpcServer.start("bench-file-server", "localhost", 0, null, List.of(this));
    }

    String address() {
        return "localhost:" + server.port();
    }

    @Override
    public void fetch(FetchRequest request, StreamObserver<FileChunk> observer) {
        FileChunkPump.serve(observer, files.apply(request), chunkSize);
    }

    @Override
    public void close() {
        server.close();
    }
}
