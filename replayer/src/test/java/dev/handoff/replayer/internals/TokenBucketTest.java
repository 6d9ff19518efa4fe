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

    @Test
    void shouldPayBackDebtAtTheNewRateWhenTheRateChanges() {
        // Given 1000 bytes per second and a reservation that owes 9 s
        TokenBucket bucket = new TokenBucket(1000, clock);
        assertThat(bucket.reserve(10_000)).isEqualTo(9000);

        // When the rate is raised to 100,000 per second
        bucket.rate(100_000);

        // Then the same debt is owed for 90 ms only
        assertThat(bucket.owed()).isEqualTo(90);

        // When the limit is lifted altogether
        bucket.rate(0);

        // Then nothing is owed and nothing waits
        assertThat(bucket.owed()).isZero();
        assertThat(bucket.reserve(1L << 40)).isZero();
        assertThat(bucket.tryAcquire(1_000_000)).isTrue();
    }

    @Test
    void shouldStartFullWhenALimitIsSetOnAnUnlimitedBucket() {
        // Given an unlimited bucket
        TokenBucket bucket = new TokenBucket(0, clock);

        // When a limit of 5 per second is put in force
        bucket.rate(5);

        // Then one second's worth passes at once, and no more
        for (int i = 0; i < 5; i++) {
            assertThat(bucket.tryAcquire(1)).isTrue();
        }
        assertThat(bucket.tryAcquire(1)).isFalse();
        assertThat(bucket.rate()).isEqualTo(5);
    }

    @Test
    void shouldSeeANewRateWhileATakeIsWaiting() throws Exception {
        // Given 1000 bytes per second and a delay that lifts the limit during its first wait
        TokenBucket bucket = new TokenBucket(1000, clock);
        java.util.List<Long> waits = new java.util.ArrayList<>();
        Delay delay = new Delay() {
            @Override
            boolean await(long millis) {
                waits.add(millis);
                bucket.rate(0);
                return true;
            }
        };

        // When 10,000 bytes are taken (9 s of debt at the old rate)
        boolean taken = bucket.take(10_000, delay);

        // Then it waited one slice, not 9 s, and returned once the new rate left nothing owed
        assertThat(taken).isTrue();
        assertThat(waits).containsExactly(TokenBucket.WAIT_SLICE_MILLIS);
    }

    @Test
    void shouldRefuseANegativeRate() {
        TokenBucket bucket = new TokenBucket(1, clock);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> bucket.rate(-1))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ratePerSec");
    }
}
