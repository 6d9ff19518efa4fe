package dev.handoff.replayer.internals;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConcurrencyLimitTest {
    private static final long MS = 1_000_000;
    private long seq;

    /**
     * A delivery of 1 KiB that started with the node's limit in flight and took {@code millis}; every later start has
     * a higher number.
     */
    private void success(ConcurrencyLimit limit, long millis) {
        long started = ++seq;
        limit.succeeded(millis * MS, 1024, limit.current(), started, ++seq, true);
    }

    @Test
    void shouldStartAtOneAndGrowByOnePerSuccessWhileLatencyHolds() {
        // Given an adaptive limit up to 16
        ConcurrencyLimit limit = new ConcurrencyLimit(16, true);
        assertThat(limit.current()).isEqualTo(1);

        // When deliveries succeed at a steady latency
        for (int i = 0; i < 5; i++) {
            success(limit, 50);
        }

        // Then the limit grew by one each (slow start), and never beyond the maximum
        assertThat(limit.current()).isEqualTo(6);
        for (int i = 0; i < 50; i++) {
            success(limit, 50);
        }
        assertThat(limit.current()).isEqualTo(16);
    }

    @Test
    void shouldKeepGrowingWhileThroughputGrowsThoughLatencyRises() {
        // Given an adaptive limit and a receiver whose latency grows with the square root of the concurrency
        ConcurrencyLimit limit = new ConcurrencyLimit(16, true);

        // When deliveries succeed at that latency
        for (int i = 0; i < 40; i++) {
            success(limit, (long) (50 * Math.sqrt(limit.current())));
        }

        // Then the limit reached the maximum: more in flight means more throughput
        assertThat(limit.current()).isEqualTo(16);
    }

    @Test
    void shouldBackOffWhereThroughputCollapses() {
        // Given a receiver that takes 40 ms up to 4 in flight and 4x as long per delivery above that
        ConcurrencyLimit limit = new ConcurrencyLimit(16, true);
        int above = 0;

        // When deliveries succeed at that latency for a while
        for (int i = 0; i < 200; i++) {
            int c = limit.current();
            long millis = c <= 4 ? 40 : (long) (40 * Math.pow(4, c - 4));
            limit.succeeded(millis * MS, 1024, c, ++seq, ++seq, true);
            if (i >= 100 && limit.current() > 5) {
                above++;
            }
        }

        // Then the limit stays at 4 or 5 once it has found the edge
        assertThat(above).isZero();
        assertThat(limit.current()).isBetween(4, 5);
    }

    @Test
    void shouldHalveOnceForAllTheDeliveriesInFlightWhenTheyTimeOut() {
        // Given a limit of 16 and 16 deliveries started
        ConcurrencyLimit limit = new ConcurrencyLimit(16, true);
        for (int i = 0; i < 20; i++) {
            success(limit, 50);
        }
        long firstOfRound = seq + 1;
        seq += 16;

        // When all 16 time out
        for (long s = firstOfRound; s <= seq; s++) {
            limit.overloaded(s, seq);
        }

        // Then the limit halved once, not 16 times
        assertThat(limit.current()).isEqualTo(8);

        // And a delivery started after that decrease can decrease it again
        long later = ++seq;
        limit.overloaded(later, seq);
        assertThat(limit.current()).isEqualTo(4);
    }

    @Test
    void shouldBackOffWhenLatencyRisesAndGrowSlowlyAfterwards() {
        // Given a limit grown to 6 at 50 ms
        ConcurrencyLimit limit = new ConcurrencyLimit(16, true);
        for (int i = 0; i < 5; i++) {
            success(limit, 50);
        }

        // When a delivery takes more than twice the baseline
        success(limit, 200);

        // Then the limit drops by 10% (5.4), and grows by 1/limit per success after that (no more slow start)
        assertThat(limit.current()).isEqualTo(5);
        for (int i = 0; i < 3; i++) {
            success(limit, 50);
        }
        assertThat(limit.current()).isEqualTo(5);
        success(limit, 50);
        assertThat(limit.current()).isEqualTo(6);
    }

    @Test
    void shouldNotDecreaseBelowOneNorOnLatencyWhileARateLimitPacesTheNode() {
        // Given a limit at 1
        ConcurrencyLimit limit = new ConcurrencyLimit(16, true);
        success(limit, 10);
        limit.overloaded(++seq, seq);
        limit.overloaded(++seq, seq);
        assertThat(limit.current()).isEqualTo(1);

        // When slow deliveries succeed while a byte-rate limit paces them
        long started = ++seq;
        limit.succeeded(5_000 * MS, 1024, 1, started, ++seq, false);

        // Then latency does not count: the limit grows by 1/limit per success
        assertThat(limit.current()).isEqualTo(2);
        limit.succeeded(5_000 * MS, 1024, 2, ++seq, ++seq, false);
        assertThat(limit.current()).isEqualTo(2);
    }

    @Test
    void shouldCompareLatencyWithBundlesOfTheSameSizeClass() {
        // Given a baseline of 20 ms for small bundles, limit 3
        ConcurrencyLimit limit = new ConcurrencyLimit(16, true);
        success(limit, 20);
        success(limit, 20);

        // When a 64 MiB bundle takes 600 ms with 3 in flight, then a small one 30 ms with 4
        limit.succeeded(600 * MS, 64L << 20, 3, ++seq, ++seq, true);
        success(limit, 30);

        // Then neither is slow for its size: the limit grows
        assertThat(limit.current()).isEqualTo(5);

        // When another 64 MiB bundle takes five times as long with 5 in flight (a third of the throughput)
        limit.succeeded(3_000 * MS, 64L << 20, 5, ++seq, ++seq, true);

        // Then that is a rise in latency
        assertThat(limit.current()).isEqualTo(4);
    }

    @Test
    void shouldPutSizesWithinAFactorOfFourInOneClass() {
        assertThat(ConcurrencyLimit.sizeClass(0)).isZero();
        assertThat(ConcurrencyLimit.sizeClass((256 << 10) - 1)).isZero();
        assertThat(ConcurrencyLimit.sizeClass(256 << 10)).isEqualTo(1);
        assertThat(ConcurrencyLimit.sizeClass((1 << 20) - 1)).isEqualTo(1);
        assertThat(ConcurrencyLimit.sizeClass(1 << 20)).isEqualTo(2);
        assertThat(ConcurrencyLimit.sizeClass(4L << 20)).isEqualTo(3);
        assertThat(ConcurrencyLimit.sizeClass(1L << 40)).isEqualTo(7);
    }

    @Test
    void shouldStayAtTheMaximumWhenNotAdaptive() {
        ConcurrencyLimit limit = new ConcurrencyLimit(16, false);
        limit.overloaded(++seq, seq);
        success(limit, 5000);
        assertThat(limit.current()).isEqualTo(16);
    }
}
