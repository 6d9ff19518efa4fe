package dev.handoff.testkit;

import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The response side of a client-streaming gRPC call that answers once: {@link #answer} completes with the first
 * message, or with the call's error, or with an error if the server completes without answering. Thread-safe.
 */
public class SingleAnswer<T> implements StreamObserver<T> {
    /** The one answer, or the call's failure. */
    public final CompletableFuture<T> answer = new CompletableFuture<>();

    @Override
    public void onNext(T value) {
        answer.complete(value);
    }

    @Override
    public void onError(Throwable t) {
        answer.completeExceptionally(t);
    }

    @Override
    public void onCompleted() {
        answer.completeExceptionally(new IllegalStateException("completed without an answer"));
    }

    /** The answer within {@code timeout}; the call's own error is thrown as it is; no answer is an AssertionError. */
    public T await(Duration timeout) throws Exception {
        try {
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
            throw new AssertionError("no answer within " + timeout, e);
        }
    }
}
