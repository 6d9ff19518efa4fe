package dev.handoff.replayer.internals;

import java.time.Clock;

/**
 * A token bucket of {@code ratePerSec} permits per second holding at most one second's worth; rate 0 is
 * unlimited. A reservation larger than what is available goes into debt, so one big request (a 1 MiB chunk
 * at a low byte rate) is delayed rather than refused. The rate can change at any time ({@code handoff
 * throttle}): {@link #take} waits in slices of at most {@value #WAIT_SLICE_MILLIS} ms and looks at the
 * current rate after each, so a new rate reaches a stream already waiting. Time comes from the injected
 * clock. Thread-safe.
 */
final class TokenBucket {
    /** Longest a {@link #take} waits before it looks at the rate again. */
    static final long WAIT_SLICE_MILLIS = 100;

    private final Clock clock;
    private long ratePerSec;
    private double ratePerMilli;
    private double tokens;
    private long lastMillis;

    /** @param ratePerSec permits per second, 0 = unlimited */
    TokenBucket(long ratePerSec, Clock clock) {
        this.clock = clock;
        this.lastMillis = clock.millis();
        rate(ratePerSec);
    }

    /** The rate in force, 0 = unlimited. */
    synchronized long rate() {
        return ratePerSec;
    }

    /**
     * Changes the rate. Debt already owed stays owed, but is paid back at the new rate; a bucket that was
     * unlimited starts full.
     */
    synchronized void rate(long newRatePerSec) {
        if (newRatePerSec < 0) {
            throw new IllegalArgumentException("ratePerSec must be >= 0, got " + newRatePerSec);
        }
        refill();
        boolean wasUnlimited = ratePerSec == 0;
        ratePerSec = newRatePerSec;
        ratePerMilli = newRatePerSec / 1000.0;
        tokens = newRatePerSec == 0 ? 0 : wasUnlimited ? newRatePerSec : Math.min(tokens, newRatePerSec);
    }

    /** Takes {@code permits} now and returns how many milliseconds the caller must wait before using them. */
    synchronized long reserve(long permits) {
        if (ratePerSec == 0) {
            return 0;
        }
        refill();
        tokens -= permits;
        return debtMillis();
    }

    /** Takes {@code permits} when they are available now (or the bucket is full), else takes nothing. */
    synchronized boolean tryAcquire(long permits) {
        if (ratePerSec == 0) {
            return true;
        }
        refill();
        if (tokens >= permits || tokens >= ratePerSec) {
            tokens -= permits;
            return true;
        }
        return false;
    }

    /**
     * Takes {@code permits} and waits until the debt they make is paid back at the rate in force while waiting.
     * Returns false when {@code delay} was closed (the replayer is stopping).
     */
    boolean take(long permits, Delay delay) throws InterruptedException {
        long wait = reserve(permits);
        while (wait > 0) {
            if (!delay.await(Math.min(wait, WAIT_SLICE_MILLIS))) {
                return false;
            }
            wait = owed();
        }
        return true;
    }

    /** Milliseconds until the current debt is paid back at the current rate (0: none). */
    synchronized long owed() {
        if (ratePerSec == 0) {
            return 0;
        }
        refill();
        return debtMillis();
    }

    private long debtMillis() {
        return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / ratePerMilli);
    }

    private void refill() {
        long now = clock.millis();
        if (now > lastMillis) {
            if (ratePerSec > 0) {
                tokens = Math.min(ratePerSec, tokens + (now - lastMillis) * ratePerMilli);
            }
            lastMillis = now;
        }
    }
}
