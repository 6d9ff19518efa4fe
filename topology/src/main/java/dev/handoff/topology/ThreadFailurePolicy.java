package dev.handoff.topology;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;

/**
 * What to do when a stream thread dies. Unreadable records never get here (the decode processors count and
 * skip them), so a failure is infrastructure: a broker hiccup, or a node topic that appeared while the
 * group was rebalancing. The thread is replaced (exactly-once state is restored from its changelogs);
 * more than {@code maxFailures} within {@code window} stops the instance instead, so it never crash-loops.
 * Thread-safe.
 */
final class ThreadFailurePolicy {
    private final int maxFailures;
    private final Duration window;
    private final Clock clock;
    private final Deque<Long> failures = new ArrayDeque<>();

    ThreadFailurePolicy(int maxFailures, Duration window, Clock clock) {
        this.maxFailures = maxFailures;
        this.window = window;
        this.clock = clock;
    }

    synchronized StreamThreadExceptionResponse onFailure() {
        long now = clock.millis();
        failures.addLast(now);
        while (!failures.isEmpty() && failures.peekFirst() < now - window.toMillis()) {
            failures.removeFirst();
        }
        return failures.size() > maxFailures ? StreamThreadExceptionResponse.SHUTDOWN_CLIENT
            : StreamThreadExceptionResponse.REPLACE_THREAD;
    }
}
