package dev.handoff.banyandb;

import dev.handoff.banyandb.grpc.cluster.ChunkedSyncServiceGrpc;
import dev.handoff.banyandb.grpc.cluster.SyncPartRequest;
import dev.handoff.banyandb.grpc.cluster.SyncPartResponse;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One {@code SyncPart} call used stop-and-wait: {@link #exchange} sends a request and waits for the next
 * response, so at most one chunk is in flight. gRPC callbacks put events in a queue; one thread sends and takes.
 */
final class StopAndWaitStream {
    /** A response, or the end of the stream (error null: ended OK). */
    private record Event(SyncPartResponse response, Throwable error) {
    }

    private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Duration timeout;
    private final Runnable onStall;
    private ClientCallStreamObserver<SyncPartRequest> requests;
    private boolean ended;

    StopAndWaitStream(Channel channel, Duration timeout, Runnable onStall) {
        this.timeout = timeout;
        this.onStall = onStall;
        ChunkedSyncServiceGrpc.newStub(channel).syncPart(new ClientResponseObserver<SyncPartRequest, SyncPartResponse>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<SyncPartRequest> stream) {
                requests = stream;
            }

            @Override
            public void onNext(SyncPartResponse value) {
                events.add(new Event(value, null));
            }

            @Override
            public void onError(Throwable t) {
                events.add(new Event(null, t));
            }

            @Override
            public void onCompleted() {
                events.add(new Event(null, null));
            }
        });
    }

    /** Sends {@code request} and returns the node's next response. */
    SyncPartResponse exchange(SyncPartRequest request) throws BanyanSyncException, InterruptedException {
        if (ended) {
            throw new BanyanSyncException(BanyanSyncException.Kind.RETRY, "the node ended the stream before chunk " + request.getChunkIndex());
        }
        try {
            requests.onNext(request);
        } catch (RuntimeException e) {
            throw transport(Status.fromThrowable(e), e);
        }
        Event e = events.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (e == null) {
            cancel("no answer within " + timeout);
            onStall.run();
            throw new BanyanSyncException(BanyanSyncException.Kind.TRANSPORT, "the node did not answer chunk "
                + request.getChunkIndex() + " within " + timeout, Status.Code.DEADLINE_EXCEEDED, null);
        }
        if (e.response() != null) {
            return e.response();
        }
        ended = true;
        if (e.error() == null) {
            throw new BanyanSyncException(BanyanSyncException.Kind.RETRY, "the node ended the stream without answering chunk "
                + request.getChunkIndex());
        }
        throw transport(Status.fromThrowable(e.error()), e.error());
    }

    /** Abandons the call: the node discards the part in progress (earlier parts of the stream stay committed). */
    void cancel(String reason) {
        if (!ended) {
            ended = true;
            requests.cancel(reason, null);
        }
    }

    /** Ends the call normally once the node answered the completion. */
    void halfClose() {
        if (!ended) {
            ended = true;
            requests.onCompleted();
        }
    }

    /**
     * A stream error: BanyanDB ends the stream with the handler's error text, so an unknown file name or an invalid
     * MinTimestamp (which no retry changes) is recognised by that text; everything else is the status itself.
     */
    static BanyanSyncException transport(Status status, Throwable cause) {
        String text = status.getDescription() == null ? "" : status.getDescription();
        String message = "SyncPart " + status.getCode() + ": " + text;
        if (text.contains("unknown file type") || text.contains("unknown sidx file type")
            || text.contains("invalid MinTimestamp") || text.contains("unknown sync topic")) {
            return new BanyanSyncException(BanyanSyncException.Kind.POISON, message, status.getCode(), cause);
        }
        return new BanyanSyncException(BanyanSyncException.Kind.TRANSPORT, message, status.getCode(), cause);
    }
}
