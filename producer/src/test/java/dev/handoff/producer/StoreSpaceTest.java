package dev.handoff.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StoreSpaceTest {

    @Test
    void shouldTakeTheSmallerOfTheTwoLimits() {
        // Given a 1,000,000-byte file system / When / Then
        assertThat(StoreSpace.limit(500L, null, 1_000_000)).isEqualTo(500);
        assertThat(StoreSpace.limit(null, 10.0, 1_000_000)).isEqualTo(100_000);
        assertThat(StoreSpace.limit(200_000L, 10.0, 1_000_000)).isEqualTo(100_000);
        assertThat(StoreSpace.limit(50_000L, 10.0, 1_000_000)).isEqualTo(50_000);
        assertThat(StoreSpace.limit(null, null, 1_000_000)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldRefuseAReservationThatDoesNotFitWithTheThreeNumbers() throws Exception {
        // Given 700 of 1,000 bytes used
        StoreSpace space = new StoreSpace(1_000);
        space.account(700);

        // When 301 more are asked for / Then refused, nothing changes
        assertThatThrownBy(() -> space.reserve(301)).isInstanceOf(StoreFullException.class)
            .hasMessage("part store full: current 700 bytes + requested 301 bytes exceeds the limit of 1000 bytes");
        assertThat(space.usedBytes()).isEqualTo(700);

        // and exactly what fits is accepted; freeing gives room back
        space.reserve(300);
        assertThat(space.usedBytes()).isEqualTo(1_000);
        space.free(500);
        assertThat(space.usedBytes()).isEqualTo(500);
    }

    @Test
    void shouldNeverOvershootWhenManyThreadsReserveAtOnce() throws Exception {
        // Given a 1,000-byte store and 16 threads each trying 100 reservations of 7 bytes
        StoreSpace space = new StoreSpace(1_000);
        AtomicInteger granted = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            Thread th = new Thread(() -> {
                try {
                    go.await();
                    for (int i = 0; i < 100; i++) {
                        try {
                            space.reserve(7);
                            granted.incrementAndGet();
                        } catch (StoreFullException e) {
                            // expected once full
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            th.start();
            threads.add(th);
        }

        // When they race
        go.countDown();
        for (Thread th : threads) {
            th.join();
        }

        // Then exactly floor(1000 / 7) were granted and the account never exceeds the limit
        assertThat(granted.get()).isEqualTo(142);
        assertThat(space.usedBytes()).isEqualTo(994);
    }
}
