package dev.handoff.replayer.internals;

import java.time.Clock;

/**
 * A token bucket of {@code ratePerSec} permits per second holding at most one second's worth. A
 * reservation larger than what is available goes into debt, so one big request (a 1 MiB chunk at a
 * low byte rate) is delayed rather than refused. Time comes from the injected clock. Thread-safe.
 */
final class TokenBucket {
    private final double ratePerMilli;
    private final double capacity;
    private final Clock clock;
    private double tokens;
    private long lastMillis;

    TokenBucket(long ratePerSec, Clock clock) {
        if (ratePerSec <= 0) {
            throw new IllegalArgumentException("ratePerSec must be > 0, got " + ratePerSec);
        }
        this.ratePerMilli = ratePerSec / 1000.0;
        this.capacity = ratePerSec;
        this.clock = clock;
        this.tokens = capacity;
        this.lastMillis = clock.millis();
    }

    /** Takes {@code permits} now and returns how many milliseconds the caller must wait before using them. */
    synchronized long reserve(long permits) {
        refill();
        tokens -= permits;
        return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / ratePerMilli);
    }

    /** Takes {@code permits} when they are available now (or the bucket is full), else takes nothing. */
    synchronized boolean tryAcquire(long permits) {
        refill();
        if (tokens >= permits || tokens >= capacity) {
            tokens -= permits;
            return true;
        }
        return false;
    }

    private void refill() {
        long now = clock.millis();
        if (now > lastMillis) {
            tokens = Math.min(capacity, tokens + (now - lastMillis) * ratePerMilli);
            lastMillis = now;
        }
    }
}
