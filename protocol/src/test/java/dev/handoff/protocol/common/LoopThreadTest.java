package dev.handoff.protocol.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LoopThreadTest {

    @Test
    void shouldRunTheBodyOnANamedDaemonWhileRunningAndEndWhenAskedToStop() {
        // Given a loop that counts rounds until it is asked to stop
        AtomicInteger rounds = new AtomicInteger();
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        LoopThread loop = counting("handoff-test-loop", rounds, ranOn);
        assertThat(loop.started()).isFalse();
        assertThat(loop.running()).isFalse();

        // When it is started
        loop.start();

        // Then it runs on its own daemon thread, named for the thread dump
        await().atMost(Duration.ofSeconds(10)).until(() -> rounds.get() > 0);
        assertThat(loop.started()).isTrue();
        assertThat(loop.running()).isTrue();
        assertThat(ranOn.get().getName()).isEqualTo("handoff-test-loop");
        assertThat(ranOn.get().isDaemon()).isTrue();

        // When it is asked to stop and joined, Then it has ended
        loop.stop();
        assertEnded(loop);
    }

    @Test
    void shouldNotBeRunningOnceTheBodyReturnsEvenByAFailure() {
        // Given a loop whose body fails at once
        LoopThread loop = new LoopThread("handoff-test-failing", () -> {
            throw new IllegalStateException("a bug in the loop");
        });

        // When it is started
        loop.start();

        // Then it has ended and says it is not running
        assertEnded(loop);
    }

    @Test
    void shouldRunNoRoundWhenStoppedBeforeItStarted() {
        // Given a loop asked to stop before it was started
        AtomicInteger rounds = new AtomicInteger();
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        LoopThread loop = counting("handoff-test-stopped", rounds, ranOn);
        loop.stop();

        // When it is started anyway
        loop.start();

        // Then its body ran to the end without a round
        assertEnded(loop);
        assertThat(ranOn.get()).isNotNull();
        assertThat(loop.started()).isTrue();
        assertThat(rounds.get()).isZero();
    }

    @Test
    void shouldKeepTheCallersInterruptWhenAJoinIsInterrupted() throws Exception {
        // Given a loop that blocks until released
        CountDownLatch release = new CountDownLatch(1);
        LoopThread loop = new LoopThread("handoff-test-blocked", () -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        loop.start();

        // When the joining thread is interrupted
        Thread.currentThread().interrupt();
        loop.join(Duration.ofSeconds(30));

        // Then the join ended at once and the interrupt is still set
        assertThat(Thread.interrupted()).isTrue();
        assertThat(loop.alive()).isTrue();
        release.countDown();
        loop.join(Duration.ofSeconds(10));
        assertThat(loop.alive()).isFalse();
    }

    /** Joins {@code loop} (10 s at most) and asserts its thread ended and it says it is not running. */
    private static void assertEnded(LoopThread loop) {
        loop.join(Duration.ofSeconds(10));
        assertThat(loop.alive()).isFalse();
        assertThat(loop.running()).isFalse();
    }

    /** A loop that counts its rounds while it runs and reports the thread its body ran on. */
    private static LoopThread counting(String name, AtomicInteger rounds, AtomicReference<Thread> ranOn) {
        AtomicReference<LoopThread> self = new AtomicReference<>();
        LoopThread loop = new LoopThread(name, () -> {
            ranOn.set(Thread.currentThread());
            while (self.get().running()) {
                rounds.incrementAndGet();
                Thread.onSpinWait();
            }
        });
        self.set(loop);
        return loop;
    }
}
