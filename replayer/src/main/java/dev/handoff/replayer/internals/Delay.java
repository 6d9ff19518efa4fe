package dev.handoff.replayer.internals;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How delivery threads wait (rate limits): a timed wait that {@link #close()} ends at once, so
 * stopping a replayer never waits for a rate limit. Thread-safe.
 */
class Delay implements AutoCloseable {
    private final CountDownLatch closed = new CountDownLatch(1);

    /** Waits {@code millis} or until closed; returns false when closed. */
    boolean await(long millis) throws InterruptedException {
        if (millis <= 0) {
            return closed.getCount() > 0;
        }
        return !closed.await(millis, TimeUnit.MILLISECONDS);
    }

    boolean await(Duration d) throws InterruptedException {
        return await(d.toMillis());
    }

    @Override
    public void close() {
        closed.countDown();
    }
}
