package dev.handoff.benchmarks;

import com.google.protobuf.ByteString;
import dev.handoff.protocol.common.GrpcServer;
import dev.handoff.protocol.grpc.FetchRequest;
import dev.handoff.protocol.grpc.FileChunk;
import dev.handoff.protocol.grpc.PartStoreGrpc;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.Function;

/**
 * A bare {@code PartStore.Fetch} server for baselines: streams the files a function picks for the request,
 * in chunks read with a positioned {@link FileChannel}, one chunk per {@code isReady()} (gRPC flow control),
 * no manifest, no checksums. Chunks run on the call's serialized executor.
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
        ServerCallStreamObserver<FileChunk> call = (ServerCallStreamObserver<FileChunk>) observer;
        Pump pump = new Pump(call, files.apply(request), chunkSize);
        call.setOnCancelHandler(pump::close);
        call.setOnReadyHandler(pump::run);
        pump.run();
    }

    @Override
    public void close() {
        server.close();
    }

    /** Sends chunks while the call is ready; state confined to the call's serialized executor. */
    private static final class Pump {
        private final ServerCallStreamObserver<FileChunk> call;
        private final List<Path> files;
        private final ByteBuffer buffer;
        private int index;
        private long offset;
        private FileChannel channel;
        private boolean done;

        Pump(ServerCallStreamObserver<FileChunk> call, List<Path> files, int chunkSize) {
            this.call = call;
            this.files = files;
            this.buffer = ByteBuffer.allocate(chunkSize);
        }

        void run() {
            try {
                while (!done && call.isReady()) {
                    if (index == files.size()) {
                        done = true;
                        call.onCompleted();
                        return;
                    }
                    sendOne();
                }
            } catch (IOException e) {
                done = true;
                close();
                call.onError(Status.INTERNAL.withDescription(e.toString()).asRuntimeException());
            }
        }

        private void sendOne() throws IOException {
            Path file = files.get(index);
            if (channel == null) {
                channel = FileChannel.open(file, StandardOpenOption.READ);
                offset = 0;
            }
            buffer.clear();
            int n = Math.max(0, channel.read(buffer, offset));
            long size = channel.size();
            boolean last = offset + n >= size;
            buffer.flip();
            call.onNext(FileChunk.newBuilder().setType(file.getParent().getFileName().toString())
                .setName(file.getFileName().toString()).setOffset(offset).setData(ByteString.copyFrom(buffer)).setLast(last)
                .build());
            offset += n;
            if (last) {
                close();
                index++;
            }
        }

        void close() {
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException ignored) {
                // closing a read-only channel: nothing to lose
            }
            channel = null;
        }
    }
}
