package dev.handoff.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.handoff.protocol.InvalidFieldException;
import dev.handoff.protocol.common.KafkaSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class StoreSpaceTest {

    private static ProducerSettings.Builder settings() {
        return ProducerSettings.builder(Path.of("/tmp/s"), "l", KafkaSettings.of("localhost:9092"));
    }

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
    void shouldUseMaxBytesAloneAndSaySoOnceWhenTheFileSystemReportsNoSize() throws Exception {
        // Given a file system that reports 0 total bytes (some FUSE and network ones do) and the default 90 %
        Logger logger = (Logger) LoggerFactory.getLogger(StoreSpace.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        try {
            // When the limit is computed with --store-max-bytes 10000
            StoreSpace space = new StoreSpace(StoreSpace.limit(10_000L, 90.0, 0));

            // Then --store-max-bytes alone applies (not "a limit of 0 bytes"), and the log says why, once
            assertThat(space.limitBytes()).isEqualTo(10_000);
            space.reserve(6_000);
            assertThat(space.usedBytes()).isEqualTo(6_000);
            assertThat(log.list).singleElement().satisfies(e -> {
                assertThat(e.getLevel()).isEqualTo(Level.WARN);
                assertThat(e.getFormattedMessage()).contains("reports no size").contains("--store-max-bytes alone");
            });
        } finally {
            logger.detachAppender(log);
        }
    }

    @Test
    void shouldRefuseToStartWhenTheFileSystemReportsNoSizeAndNoByteLimitIsSet() {
        // Given a file system that reports 0 total bytes and only the percentage limit
        // When / Then the store could not be limited at all: refused, naming the option to set
        assertThatThrownBy(() -> StoreSpace.limit(null, 90.0, 0)).isInstanceOf(InvalidFieldException.class)
            .hasMessageContaining("storeMaxPercent").hasMessageContaining("0 total bytes")
            .hasMessageContaining("--store-max-bytes");
    }

    @Test
    void shouldIgnoreTheFileSystemSizeWhenThePercentLimitIsOff() {
        // Given --store-max-percent 0, which the settings keep as no percentage
        Double percent = settings().storeLimits(50_000L, 0.0)
            .build().store().maxPercent();

        // When / Then only the byte limit counts, on a sized file system and on one that reports no size
        assertThat(percent).isNull();
        assertThat(StoreSpace.limit(50_000L, percent, 1_000)).isEqualTo(50_000);
        assertThat(StoreSpace.limit(50_000L, percent, 0)).isEqualTo(50_000);
    }

    @Test
    void shouldRefuseTurningThePercentLimitOffWithoutAByteLimit() {
        // Given / When / Then
        assertThatThrownBy(() -> settings().storeLimits(null, 0.0)
            .build()).isInstanceOf(InvalidFieldException.class).hasMessageContaining("storeMaxBytes");
        assertThatThrownBy(() -> settings().storeLimits(null, -1.0)
            .build()).isInstanceOf(InvalidFieldException.class).hasMessageContaining("or 0 for none");
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
    void shouldRefuseANodeOverItsQuotaFirstAndChargeNothing() throws Exception {
        // Given a 10,000-byte store with a 1,000-byte quota per node; node a holds 700, node b 100
        StoreSpace space = new StoreSpace(10_000, 1_000L);
        space.reserve(700, List.of("a:1"), 700);
        space.reserve(100, List.of("b:1"), 100);

        // When a bundle of 400 is asked for a and c / Then refused naming a, nothing charged anywhere
        assertThatThrownBy(() -> space.reserve(400, List.of("c:1", "a:1"), 400))
            .isInstanceOf(NodeQuotaFullException.class)
            .hasMessage("node quota full: node a:1 has current 700 bytes + requested 400 bytes, exceeding its limit of "
                + "1000 bytes (--store-max-bytes-per-node)");
        assertThat(space.usedBytes()).isEqualTo(800);
        assertThat(space.nodeUsedBytes("c:1")).isZero();

        // And once a completes, its share is given back and the same bundle fits, counted once in the store
        space.freeNodes(List.of("a:1"), 700);
        space.reserve(400, List.of("c:1", "a:1"), 400);
        assertThat(space.usedBytes()).isEqualTo(1_200);
        assertThat(space.nodeUsedBytes("a:1")).isEqualTo(400);
        assertThat(space.nodeUsedBytes("b:1")).isEqualTo(100);
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
