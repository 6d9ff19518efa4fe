package dev.handoff.datanode;

import dev.handoff.datanode.DataNodeMetrics.Outcome;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.common.Fsyncs;
import dev.handoff.protocol.common.NoSpace;
import dev.handoff.protocol.grpc.PartSyncGrpc;
import dev.handoff.protocol.grpc.SyncRequest;
import dev.handoff.protocol.grpc.SyncResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code handoff.v1.PartSync}: one session receives one bundle and answers APPLIED, DUPLICATE or REJECTED.
 * Thread-safe: each call has its own {@link Call}, whose callbacks gRPC runs one at a time; the shared
 * {@link BundleStore} serializes commits per PartKey. Inbound flow control is gRPC's automatic one: the next
 * message is requested only after {@code onNext} returned, i.e. after the chunk was written.
 */
public final class PartSyncService extends PartSyncGrpc.PartSyncImplBase {
    private static final Logger LOGGER = LoggerFactory.getLogger(PartSyncService.class);

    private final BundleStore store;
    private final DataNodeMetrics metrics;
    private final Duration testLatency;
    private final double testFailureRate;
    private final DoubleSupplier random;
    private final ScheduledExecutorService delayer;
    private final Fsyncs fsyncs;

    PartSyncService(BundleStore store, DataNodeMetrics metrics, DataNodeSettings settings, DoubleSupplier random,
                    ScheduledExecutorService delayer, Fsyncs fsyncs) {
        this.store = store;
        this.fsyncs = fsyncs;
        this.metrics = metrics;
        this.testLatency = settings.testLatencyPerSession();
        this.testFailureRate = settings.testFailureRate();
        this.random = random;
        this.delayer = delayer;
    }

    @Override
    public StreamObserver<SyncRequest> sync(StreamObserver<SyncResponse> responses) {
        return new Call(responses);
    }

    /** One session. Its callbacks never overlap; fields are volatile because they may hop threads. */
    private final class Call implements StreamObserver<SyncRequest> {
        private final StreamObserver<SyncResponse> responses;
        private final SyncSession session = new SyncSession(fsyncs);
        private volatile boolean finished;
        private volatile boolean started;
        private volatile PartKey key;
        private volatile String sender = "";

        Call(StreamObserver<SyncResponse> responses) {
            this.responses = responses;
        }

        @Override
        public void onNext(SyncRequest request) {
            if (finished) {
                return;
            }
            if (!started) {
                started = true;
                if (testFailureRate > 0 && random.getAsDouble() < testFailureRate) {
                    fail(Status.UNAVAILABLE.withDescription("injected failure (testFailureRate " + testFailureRate + ")"),
                        Outcome.FAILED);
                    return;
                }
            }
            try {
                switch (request.getKindCase()) {
                    case HEADER -> onHeader(request);
                    case CHUNK -> metrics.bytes(session.chunk(request.getChunk()));
                    case COMMIT -> onCommit();
                    default -> throw new SessionRejectedException("order", "a message with no header, chunk or commit");
                }
            } catch (SessionRejectedException e) {
                answer(SyncResponse.Status.REJECTED, e.getMessage());
            } catch (IOException | RuntimeException e) {
                LOGGER.atError().addKeyValue("part", key).addKeyValue("sender", sender).setCause(e)
                    .log("sync session failed on this node");
                fail(failureStatus(e), Outcome.FAILED);
            }
        }

        /** A full disk is RESOURCE_EXHAUSTED (gRPC's code for it), any other failure INTERNAL: both retriable. */
        private Status failureStatus(Exception e) {
            if (NoSpace.isNoSpace(e)) {
                return Status.RESOURCE_EXHAUSTED.withDescription("data node disk full: no space left on device under "
                    + store.dataDir() + " (" + e + ")");
            }
            return Status.INTERNAL.withDescription("data node failure: " + e);
        }

        private void onHeader(SyncRequest request) throws SessionRejectedException, IOException {
            session.requireNoHeaderYet();
            SyncSession.Manifest manifest = SyncSession.validate(request.getHeader());
            key = manifest.key();
            sender = request.getHeader().getSender();
            if (store.isApplied(manifest.key())) {
                answer(SyncResponse.Status.DUPLICATE, "already applied");
                return;
            }
            session.begin(manifest, store.newStaging());
        }

        private void onCommit() throws SessionRejectedException, IOException {
            BundleStore.Commit done = store.commit(key, session.commit());
            if (done == BundleStore.Commit.APPLIED) {
                answer(SyncResponse.Status.APPLIED, "");
            } else {
                answer(SyncResponse.Status.DUPLICATE, "already applied");
            }
        }

        @Override
        public void onError(Throwable t) {
            if (finished) {
                return;
            }
            finished = true;
            discard();
            metrics.session(Outcome.ABORTED);
            LOGGER.atInfo().addKeyValue("part", key).addKeyValue("sender", sender)
                .addKeyValue("status", Status.fromThrowable(t).getCode()).log("sync session aborted by the sender");
        }

        @Override
        public void onCompleted() {
            if (!finished) {
                answer(SyncResponse.Status.REJECTED, "order: the stream ended before a commit");
            }
        }

        /** Ends the session with a response; the staging directory is gone before the answer leaves. */
        private void answer(SyncResponse.Status status, String reason) {
            finished = true;
            discard();
            metrics.session(Outcome.valueOf(status.name()));
            (status == SyncResponse.Status.REJECTED ? LOGGER.atWarn() : LOGGER.atDebug())
                .addKeyValue("part", key).addKeyValue("sender", sender).addKeyValue("outcome", status)
                .addKeyValue("reason", reason).log("sync session answered");
            SyncResponse response = SyncResponse.newBuilder().setStatus(status).setReason(reason).build();
            Runnable send = () -> {
                responses.onNext(response);
                responses.onCompleted();
            };
            if (status == SyncResponse.Status.DUPLICATE) {
                send.run(); // the test latency stands for applying a bundle; a bundle already applied costs nothing
            } else {
                afterTestLatency(send);
            }
        }

        private void fail(Status status, Outcome outcome) {
            finished = true;
            discard();
            metrics.session(outcome);
            afterTestLatency(() -> responses.onError(status.asRuntimeException()));
        }

        private void discard() {
            try {
                session.close();
            } catch (IOException e) {
                LOGGER.atWarn().addKeyValue("part", key).setCause(e)
                    .log("cannot remove a session's staging directory; the next start removes it");
            }
        }
    }

    private void afterTestLatency(Runnable send) {
        Runnable guarded = () -> {
            try {
                send.run();
            } catch (RuntimeException e) {
                LOGGER.atDebug().setCause(e).log("the sender left before its answer");
            }
        };
        if (testLatency.isZero()) {
            guarded.run();
            return;
        }
        try {
            delayer.schedule(guarded, testLatency.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            guarded.run();
        }
    }
}
