package dev.handoff.replayer.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Context;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FetchWatchdogTest {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    @Test
    void shouldCancelTheFetchWhenThePartStoreSendsNothingWithinTheTimeout() {
        // Given a fetch waiting for its next chunk
        Context.CancellableContext fetch = Context.current().withCancellation();
        try (FetchWatchdog watchdog = new FetchWatchdog(fetch, timer, Duration.ofMillis(50))) {
            // When nothing arrives
            watchdog.arm();

            // Then the fetch is cancelled and the watchdog says why
            await().atMost(Duration.ofSeconds(10)).until(fetch::isCancelled);
            assertThat(watchdog.fired()).isTrue();
        }
    }

    @Test
    void shouldLeaveTheFetchAloneWhenEveryChunkArrivesInTime() {
        // Given a fetch whose chunks arrive (armed while waiting, disarmed on arrival)
        Context.CancellableContext fetch = Context.current().withCancellation();
        try (FetchWatchdog watchdog = new FetchWatchdog(fetch, timer, Duration.ofMillis(200))) {
            for (int i = 0; i < 3; i++) {
                watchdog.arm();
                watchdog.disarm();
            }

            // When the delivery spends longer than the timeout elsewhere (streaming to the data node)
            // Then the fetch is not cancelled
            await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(5)).until(() -> !fetch.isCancelled());
            assertThat(watchdog.fired()).isFalse();
        }
    }
}
