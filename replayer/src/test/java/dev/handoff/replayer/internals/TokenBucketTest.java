package dev.handoff.replayer.internals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void shouldAllowOneSecondOfBurstThenRefillAtTheRate() {
        // Given 10 parts per second
        TokenBucket bucket = new TokenBucket(10, clock);

        // When 10 are taken at once, the 11th is refused
        for (int i = 0; i < 10; i++) {
            assertThat(bucket.tryAcquire(1)).isTrue();
        }
        assertThat(bucket.tryAcquire(1)).isFalse();

        // Then after 100 ms exactly one more is allowed
        clock.advance(Duration.ofMillis(100));
        assertThat(bucket.tryAcquire(1)).isTrue();
        assertThat(bucket.tryAcquire(1)).isFalse();
    }

    @Test
    void shouldTurnAReservationBeyondTheTokensIntoAWait() {
        // Given 1000 bytes per second, full
        TokenBucket bucket = new TokenBucket(1000, clock);

        // When 3000 bytes are reserved
        long wait = bucket.reserve(3000);

        // Then the caller waits for the 2000 bytes of debt: 2 s, and the next reservation waits longer
        assertThat(wait).isEqualTo(2000);
        assertThat(bucket.reserve(500)).isEqualTo(2500);

        // When time pays the debt back
        clock.advance(Duration.ofSeconds(5));

        // Then small reservations pass at once again
        assertThat(bucket.reserve(100)).isZero();
    }

    @Test
    void shouldNotSaveUpMoreThanOneSecond() {
        TokenBucket bucket = new TokenBucket(100, clock);
        clock.advance(Duration.ofMinutes(10));

        assertThat(bucket.reserve(100)).isZero();
        assertThat(bucket.reserve(100)).isEqualTo(1000);
    }
}
