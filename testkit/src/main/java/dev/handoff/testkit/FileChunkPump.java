package dev.handoff.testkit;

import com.google.protobuf.ByteString;
import dev.handoff.protocol.grpc.FileChunk;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Answers a {@code PartStore.Fetch} call with files as they are on disk, in chunks, with server-side flow control:
 * a chunk is read (positioned reads into one buffer) only while the call is ready, one file after the other, each
 * file's chunk typed by its parent directory's name; then the call completes. No manifest and no checksums.
 * Thread-safe: gRPC runs the handlers on the call's serialized executor, the lock covers the first, direct pump.
 */
public final class FileChunkPump {
    private final ServerCallStreamObserver<FileChunk> call;
    private final List<Path> files;
    private final ByteBuffer buffer;
    private int index;
    private long offset;
    private FileChannel channel;
    private boolean done;

    private FileChunkPump(ServerCallStreamObserver<FileChunk> call, List<Path> files, int chunkSize) {
        this.call = call;
        this.files = files;
        this.buffer = ByteBuffer.allocate(chunkSize);
    }

    /** Streams {@code files} on {@code observer}, the response side of a server call, in chunks of {@code chunkSize}. */
    public static void serve(StreamObserver<FileChunk> observer, List<Path> files, int chunkSize) {
        FileChunkPump pump = new FileChunkPump((ServerCallStreamObserver<FileChunk>) observer, List.copyOf(files),
            chunkSize);
        pump.call.setOnCancelHandler(pump::close);
        pump.call.setOnReadyHandler(pump::run);
        pump.run();
    }

    private synchronized void run() {
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
        while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) > 0) {
            // fill the chunk
        }
        buffer.flip();
        boolean last = offset + buffer.remaining() >= channel.size();
        call.onNext(FileChunk.newBuilder().setType(file.getParent().getFileName().toString())
            .setName(file.getFileName().toString()).setOffset(offset).setData(ByteString.copyFrom(buffer)).setLast(last)
            .build());
        offset += buffer.limit();
        if (last) {
            closeChannel();
            index++;
        }
    }

    /** Ends the pump (the call was cancelled or failed): nothing more is sent. */
    private synchronized void close() {
        done = true;
        closeChannel();
    }

    private void closeChannel() {
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
