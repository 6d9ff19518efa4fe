package dev.handoff.protocol.common;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with full jitter: attempt n waits a random time in
 * [initial * 2^(n-1) / 2, initial * 2^(n-1)], capped at {@code max}. The random source is injected
 * so tests are deterministic. Immutable and thread-safe when the random source is.
 */
public final class Backoff {
    private final Duration initial;
    private final Duration max;
    private final DoubleSupplier random;

    public Backoff(Duration initial, Duration max, DoubleSupplier random) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff: 0 < initial <= max, got " + initial + " and " + max);
        }
        this.initial = initial;
        this.max = max;
        this.random = random;
    }

    public static Backoff exponential(Duration initial, Duration max) {
        return new Backoff(initial, max, () -> java.util.concurrent.ThreadLocalRandom.current().nextDouble());
    }

    /** The delay before retry number {@code attempt} (1 for the first retry). */
    public Duration delay(int attempt) {
        int shift = Math.max(0, Math.min(attempt - 1, 30));
        long ceiling = Math.min(max.toNanos(), initial.toNanos() << shift);
        if (ceiling <= 0) {
            ceiling = max.toNanos();
        }
        long half = ceiling / 2;
        return Duration.ofNanos(half + (long) (random.getAsDouble() * (ceiling - half)));
    }

    public Duration max() {
        return max;
    }
}
