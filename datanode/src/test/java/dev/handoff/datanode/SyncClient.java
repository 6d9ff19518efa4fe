package dev.handoff.datanode;

import com.google.protobuf.UnsafeByteOperations;
import dev.handoff.protocol.FileEntry;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.PartTypeEntry;
import dev.handoff.protocol.common.GrpcChannels;
import dev.handoff.protocol.grpc.FileChunk;
import dev.handoff.protocol.grpc.PartSyncGrpc;
import dev.handoff.protocol.grpc.SyncRequest;
import dev.handoff.protocol.grpc.SyncResponse;
import dev.handoff.testkit.SingleAnswer;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;

/** A test client of PartSync: streams bundles from files with flow control, or hand-made messages. */
final class SyncClient implements AutoCloseable {
    static final int CHUNK = 1024 * 1024;

    private final ManagedChannel channel;
    private final PartSyncGrpc.PartSyncStub stub;

    SyncClient(String address) {
        channel = GrpcChannels.open(address, null);
        stub = PartSyncGrpc.newStub(channel);
    }

    /** Streams the files under {@code sourceDir/<type>/<name>} announcing {@code announced}; waits for the answer. */
    SyncResponse sendBundle(PartKey key, Path sourceDir, List<PartTypeEntry> announced) throws Exception {
        return await(startBundle(key, sourceDir, announced, announced));
    }

    /**
     * Announces {@code announced} in the header but streams the files of {@code actual} (what lies on disk), in
     * 1 MiB chunks, sending only while the transport is ready: memory holds about one chunk.
     */
    CompletableFuture<SyncResponse> startBundle(PartKey key, Path sourceDir, List<PartTypeEntry> announced,
                                                List<PartTypeEntry> actual) {
        Iterator<SyncRequest> messages = new BundleMessages(key, sourceDir, announced, actual);
        FlowControlledSender sender = new FlowControlledSender(messages);
        stub.sync(sender);
        return sender.answer;
    }

    /** Opens a session whose messages the test sends one by one. */
    ManualSession open() {
        ManualSession session = new ManualSession();
        session.requests = stub.sync(session);
        return session;
    }

    /** Sends a few small messages, then half-closes; waits for the answer. */
    SyncResponse sendRaw(SyncRequest... requests) throws Exception {
        ManualSession session = open();
        for (SyncRequest r : requests) {
            session.send(r);
        }
        session.requests.onCompleted();
        return await(session.answer);
    }

    static SyncResponse await(CompletableFuture<SyncResponse> response) throws Exception {
        SingleAnswer<SyncResponse> waiting = new SingleAnswer<>();
        response.whenComplete((r, e) -> {
            if (e != null) {
                waiting.onError(e);
            } else {
                waiting.onNext(r);
            }
        });
        return waiting.await(Duration.ofSeconds(60));
    }

    ManagedChannel channel() {
        return channel;
    }

    @Override
    public void close() {
        GrpcChannels.close(channel);
    }

    /** A session driven message by message. */
    static final class ManualSession extends SingleAnswer<SyncResponse> {
        private StreamObserver<SyncRequest> requests;

        void send(SyncRequest request) {
            requests.onNext(request);
        }

        void cancel() {
            requests.onError(new IllegalStateException("test cancels the session"));
        }
    }

    /** Pushes messages only while {@code isReady()}; resumes from the transport's onReady callback. */
    private static final class FlowControlledSender extends SingleAnswer<SyncResponse>
        implements ClientResponseObserver<SyncRequest, SyncResponse> {
        private final Iterator<SyncRequest> messages;
        private ClientCallStreamObserver<SyncRequest> requests;
        private boolean halfClosed;

        FlowControlledSender(Iterator<SyncRequest> messages) {
            this.messages = messages;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<SyncRequest> requestStream) {
            requests = requestStream;
            requestStream.setOnReadyHandler(this::pump);
        }

        private synchronized void pump() {
            try {
                while (!halfClosed && !answer.isDone() && requests.isReady()) {
                    if (messages.hasNext()) {
                        requests.onNext(messages.next());
                    } else {
                        halfClosed = true;
                        requests.onCompleted();
                    }
                }
            } catch (RuntimeException e) {
                requests.cancel("test client failed", e);
                answer.completeExceptionally(e);
            }
        }
    }

    /** Header, each file's chunks read lazily from disk, commit. */
    private static final class BundleMessages implements Iterator<SyncRequest> {
        private final Path sourceDir;
        private final List<String[]> files = new ArrayList<>();
        private SyncRequest header;
        private int fileIndex;
        private long offset;
        private FileChannel open;
        private boolean committed;

        BundleMessages(PartKey key, Path sourceDir, List<PartTypeEntry> announced, List<PartTypeEntry> actual) {
            this.sourceDir = sourceDir;
            this.header = Bundles.header(key, announced);
            for (PartTypeEntry t : actual) {
                for (FileEntry f : t.files()) {
                    files.add(new String[] {t.type(), f.name()});
                }
            }
        }

        @Override
        public boolean hasNext() {
            return !committed;
        }

        @Override
        public SyncRequest next() {
            if (committed) {
                throw new NoSuchElementException();
            }
            if (header != null) {
                SyncRequest h = header;
                header = null;
                return h;
            }
            if (fileIndex == files.size()) {
                committed = true;
                return Bundles.commit();
            }
            try {
                return nextChunk();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private SyncRequest nextChunk() throws IOException {
            String[] file = files.get(fileIndex);
            if (open == null) {
                open = FileChannel.open(sourceDir.resolve(file[0]).resolve(file[1]), StandardOpenOption.READ);
                offset = 0;
            }
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK, open.size() - offset));
            int n;
            do {
                n = open.read(buf, offset + buf.position());
            } while (n >= 0 && buf.hasRemaining());
            buf.flip();
            boolean last = offset + buf.remaining() >= open.size();
            SyncRequest chunk = SyncRequest.newBuilder().setChunk(FileChunk.newBuilder().setType(file[0])
                .setName(file[1]).setOffset(offset).setData(UnsafeByteOperations.unsafeWrap(buf)).setLast(last)).build();
            offset += chunk.getChunk().getData().size();
            if (last) {
                open.close();
                open = null;
                fileIndex++;
            }
            return chunk;
        }
    }
}
