package dev.handoff.replayer.internals;

import dev.handoff.protocol.common.GrpcServer;
import dev.handoff.protocol.grpc.PartSyncGrpc;
import dev.handoff.protocol.grpc.ProtoMapping;
import dev.handoff.protocol.grpc.SyncRequest;
import dev.handoff.protocol.grpc.SyncResponse;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@code handoff.v1.PartSync} receiver on a loopback port that thrashes above {@code capacity} concurrent sessions,
 * as an overloaded data node does (scylladb#7886): each committed session needs {@code workMillis} of work, done at
 * full speed while at most {@code capacity} sessions are open and at 1/4 of the speed for each session above that,
 * re-evaluated every {@value #TICK_MILLIS} ms. It answers APPLIED the first time it sees a PartKey, DUPLICATE after.
 * It counts sessions the sender gave up on (cancelled before the answer: the sender's timeouts). Thread-safe.
 */
final class OverloadedReceiver extends PartSyncGrpc.PartSyncImplBase implements AutoCloseable {
    private static final long TICK_MILLIS = 5;

    private final int capacity;
    private final double workMillis;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final GrpcServer server;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger maxOpen = new AtomicInteger();
    private final AtomicInteger cancelled = new AtomicInteger();
    private final Set<String> applied = ConcurrentHashMap.newKeySet();

    OverloadedReceiver(int capacity, long workMillis) throws IOException {
        this.capacity = capacity;
        this.workMillis = workMillis;
        this.server = GrpcServer.start("overloaded-receiver", "localhost", 0, null, List.of(this));
    }

    String address() {
        return "localhost:" + server.port();
    }

    int applied() {
        return applied.size();
    }

    /** Sessions the sender cancelled before they were answered. */
    int cancelled() {
        return cancelled.get();
    }

    int maxOpen() {
        return maxOpen.get();
    }

    /** The share of full speed each committed session progresses at while {@code sessions} are open. */
    double speed(int sessions) {
        return sessions <= capacity ? 1.0 : Math.pow(0.25, sessions - capacity);
    }

    @Override
    public StreamObserver<SyncRequest> sync(StreamObserver<SyncResponse> responses) {
        ServerCallStreamObserver<SyncResponse> call = (ServerCallStreamObserver<SyncResponse>) responses;
        AtomicBoolean ended = new AtomicBoolean();
        maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
        call.setOnCancelHandler(() -> {
            if (ended.compareAndSet(false, true)) {
                open.decrementAndGet();
                cancelled.incrementAndGet();
            }
        });
        return new StreamObserver<>() {
            private String key;

            @Override
            public void onNext(SyncRequest request) {
                if (request.hasHeader()) {
                    key = ProtoMapping.fromProto(request.getHeader().getPart()).toString();
                } else if (request.hasCommit()) {
                    work(0);
                }
            }

            private void work(double done) {
                if (ended.get()) {
                    return;
                }
                double progress = done + TICK_MILLIS * speed(open.get());
                if (progress < workMillis) {
                    timer.schedule(() -> work(progress), TICK_MILLIS, TimeUnit.MILLISECONDS);
                    return;
                }
                if (ended.compareAndSet(false, true)) {
                    open.decrementAndGet();
                    boolean first = applied.add(key);
                    responses.onNext(SyncResponse.newBuilder()
                        .setStatus(first ? SyncResponse.Status.APPLIED : SyncResponse.Status.DUPLICATE).build());
                    responses.onCompleted();
                }
            }

            @Override
            public void onError(Throwable t) {
                if (ended.compareAndSet(false, true)) {
                    open.decrementAndGet();
                    cancelled.incrementAndGet();
                }
            }

            @Override
            public void onCompleted() {
                // the commit message ended the session; the answer follows the work
            }
        };
    }

    @Override
    public void close() {
        server.close();
        timer.shutdownNow();
    }
}
