package dev.handoff.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class ThreadFailurePolicyTest {

    private static final Instant START = Instant.ofEpochMilli(1_000_000);

    @Test
    void shouldReplaceTheThreadUntilTooManyFailuresFallInOneWindow() {
        // Given a policy of at most 3 failures per minute
        MutableClock clock = new MutableClock(START);
        ThreadFailurePolicy policy = new ThreadFailurePolicy(3, Duration.ofMinutes(1), clock);
        // When / Then: three failures are replaced, the fourth in the same minute stops the instance
        assertThat(policy.onFailure()).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(policy.onFailure()).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(policy.onFailure()).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(policy.onFailure()).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }

    @Test
    void shouldForgetFailuresOlderThanTheWindow() {
        // Given three failures
        MutableClock clock = new MutableClock(START);
        ThreadFailurePolicy policy = new ThreadFailurePolicy(3, Duration.ofMinutes(1), clock);
        policy.onFailure();
        policy.onFailure();
        policy.onFailure();
        // When two minutes pass
        clock.advance(Duration.ofMinutes(2));
        // Then a new failure is replaced again
        assertThat(policy.onFailure()).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    }
}
