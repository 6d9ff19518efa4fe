package dev.handoff.replayer.internals;

import com.google.protobuf.UnsafeByteOperations;
import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.grpc.FileChunk;
import dev.handoff.protocol.grpc.PartSyncGrpc;
import dev.handoff.protocol.grpc.ProtoMapping;
import dev.handoff.protocol.grpc.SyncCommit;
import dev.handoff.protocol.grpc.SyncHeader;
import dev.handoff.protocol.grpc.SyncRequest;
import dev.handoff.protocol.grpc.SyncResponse;
import dev.handoff.replayer.PartSink;
import dev.handoff.replayer.ReplayerSettings;
import dev.handoff.replayer.SinkException;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link PartSink} over {@code handoff.v1.PartSync.Sync}: header, chunks, commit on one client stream.
 * Sending waits for {@link ClientCallStreamObserver#isReady()} so at most about one chunk per session
 * is buffered. Channels are cached per node address. Thread-safe; each session is used by one thread.
 */
public final class GrpcPartSink implements PartSink {
    /** Longest wait before a session looks at its clock again. */
    private static final long WAKE_MILLIS = 100;
    private final ChannelPool channels;
    private final Duration timeout;
    private final Clock clock;

    public GrpcPartSink(ReplayerSettings settings) {
        this(settings, Clock.systemUTC());
    }

    /** With the clock that times the session's stall timeouts. */
    public GrpcPartSink(ReplayerSettings settings, Clock clock) {
        this.channels = new ChannelPool(settings.connections().syncTls(), settings.backoffInitial());
        this.timeout = settings.sessionTimeout();
        this.clock = clock;
    }

    @Override
    public Session open(EnqueueRecord record, String sender) throws SinkException {
        GrpcSession session = new GrpcSession(timeout, clock, () -> channels.reset(record.node()));
        try {
            PartSyncGrpc.newStub(channels.get(record.node())).sync(session);
        } catch (RuntimeException e) {
            throw new SinkException("cannot open a session to " + record.node() + ": " + e.getMessage(),
                DeliveryFailures.nodeUnavailable(Status.fromThrowable(e).getCode()), e);
        }
        SyncHeader header = SyncHeader.newBuilder().setPart(ProtoMapping.toProto(record.part()))
            .addAllTypes(ProtoMapping.toProto(record.types())).setTotalBytes(record.bytes()).setSender(sender).build();
        session.sendRequest(SyncRequest.newBuilder().setHeader(header).build());
        return session;
    }

    @Override
    public void close() {
        channels.close();
    }

    static SinkException classify(Throwable error) {
        Status status = Status.fromThrowable(error);
        return SinkException.ofStatus(status.getCode(), "sync " + status.getCode() + ": " + status.getDescription(), error);
    }

    /** One Sync call. Callbacks come from gRPC threads; the sending methods from one worker thread. */
    private static final class GrpcSession implements ClientResponseObserver<SyncRequest, SyncResponse>, Session {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private final Duration timeout;
        private final Clock clock;
        private final Runnable onStall;
        private ClientCallStreamObserver<SyncRequest> requests;
        private SyncResponse response;
        private Throwable error;
        private boolean done;

        GrpcSession(Duration timeout, Clock clock, Runnable onStall) {
            this.timeout = timeout;
            this.clock = clock;
            this.onStall = onStall;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<SyncRequest> stream) {
            this.requests = stream;
            stream.setOnReadyHandler(this::signal);
        }

        @Override
        public void onNext(SyncResponse value) {
            lock.lock();
            try {
                response = value;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void onError(Throwable t) {
            finish(t);
        }

        @Override
        public void onCompleted() {
            finish(null);
        }

        private void finish(Throwable t) {
            lock.lock();
            try {
                error = t;
                done = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public boolean send(Chunk chunk) throws SinkException {
            // No copy: gRPC frames (copies) the message inside onNext, before send returns, as Chunk requires.
            FileChunk message = FileChunk.newBuilder().setType(chunk.type()).setName(chunk.name()).setOffset(chunk.offset())
                .setData(UnsafeByteOperations.unsafeWrap(chunk.data())).setLast(chunk.last()).build();
            return sendRequest(SyncRequest.newBuilder().setChunk(message).build());
        }

        boolean sendRequest(SyncRequest request) throws SinkException {
            long deadline = clock.millis() + timeout.toMillis();
            lock.lock();
            try {
                while (!requests.isReady() && response == null && !done) {
                    awaitChange(deadline, "receiver stalled", "the node accepted no data for ");
                }
                if (error != null) {
                    throw classify(error);
                }
                if (response != null || done) {
                    return false;
                }
            } catch (InterruptedException e) {
                throw interrupted("sending", e);
            } finally {
                lock.unlock();
            }
            requests.onNext(request);
            return true;
        }

        @Override
        public SyncResult commit() throws SinkException {
            if (sendRequest(SyncRequest.newBuilder().setCommit(SyncCommit.getDefaultInstance()).build())) {
                requests.onCompleted();
            }
            long deadline = clock.millis() + timeout.toMillis();
            lock.lock();
            try {
                while (response == null && !done) {
                    awaitChange(deadline, "no answer", "the node did not answer the commit within ");
                }
                if (response == null) {
                    throw error != null ? classify(error) : new SinkException("the node ended the session without an answer", true, null);
                }
                return toResult(response);
            } catch (InterruptedException e) {
                throw interrupted("waiting for the answer", e);
            } finally {
                lock.unlock();
            }
        }

        /**
         * Waits (holding the lock) for the next change, or at most until {@code deadline}: past it the receiver has
         * stalled, so the call is cancelled with {@code cancelReason} and a retriable failure thrown, its message
         * {@code stalled} followed by the timeout.
         */
        private void awaitChange(long deadline, String cancelReason, String stalled) throws InterruptedException, SinkException {
            long left = deadline - clock.millis();
            if (left <= 0) {
                requests.cancel(cancelReason, null);
                onStall.run();
                throw new SinkException(stalled + timeout, true, null);
            }
            changed.await(Math.min(left, WAKE_MILLIS), TimeUnit.MILLISECONDS);
        }

        /** The replayer is stopping: keeps the interrupt, cancels the call, and says what it interrupted. */
        private SinkException interrupted(String doing, InterruptedException e) {
            Thread.currentThread().interrupt();
            requests.cancel("replayer stopping", null);
            return new SinkException("interrupted while " + doing, true, e);
        }

        private static SyncResult toResult(SyncResponse r) throws SinkException {
            return switch (r.getStatus()) {
                case APPLIED -> new SyncResult(SyncResult.Status.APPLIED, r.getReason());
                case DUPLICATE -> new SyncResult(SyncResult.Status.DUPLICATE, r.getReason());
                case REJECTED -> new SyncResult(SyncResult.Status.REJECTED, r.getReason());
                default -> throw new SinkException("the node answered " + r.getStatus(), false, null);
            };
        }

        @Override
        public void cancel(String reason) {
            requests.cancel(reason, null);
        }

        @Override
        public void close() {
            lock.lock();
            try {
                if (!done) {
                    // After an answer this is a no-op for the receiver; before one it discards the session.
                    requests.cancel("session closed", null);
                }
            } finally {
                lock.unlock();
            }
        }

        private void signal() {
            lock.lock();
            try {
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }
}
