package dev.handoff.replayer.internals;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    @Test
    void shouldDoubleTheDelayWithJitterUpToTheMaximum() {
        // Given a policy whose random source always answers 0.5
        RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(10), 5, () -> 0.5);

        // Then each delay lies at 3/4 of the doubled ceiling, capped at the maximum
        assertThat(policy.delay(1)).isEqualTo(Duration.ofMillis(750));
        assertThat(policy.delay(2)).isEqualTo(Duration.ofMillis(1500));
        assertThat(policy.delay(3)).isEqualTo(Duration.ofMillis(3000));
        assertThat(policy.delay(10)).isEqualTo(Duration.ofMillis(7500));
    }

    @Test
    void shouldSpreadDelaysBetweenHalfAndFullCeiling() {
        // Given the two extremes of the random source
        RetryPolicy low = new RetryPolicy(Duration.ofSeconds(2), Duration.ofSeconds(60), 5, () -> 0.0);
        RetryPolicy high = new RetryPolicy(Duration.ofSeconds(2), Duration.ofSeconds(60), 5, () -> 0.999_999);

        // Then the third retry waits between 4 s and 8 s
        assertThat(low.delay(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(high.delay(3)).isBetween(Duration.ofMillis(7_999), Duration.ofSeconds(8));
    }

    @Test
    void shouldParkOnlyOnceTheBudgetIsUsedUp() {
        RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(10), 3, () -> 0.5);

        assertThat(policy.exhausted(2)).isFalse();
        assertThat(policy.exhausted(3)).isTrue();
    }
}
