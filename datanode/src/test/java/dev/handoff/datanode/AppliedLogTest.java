package dev.handoff.datanode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.handoff.protocol.PartKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppliedLogTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    private static PartKey key(int i) {
        return new PartKey("liaison-1", "sw_metric", 0, i);
    }

    @Test
    void shouldShareFsyncsAmongConcurrentAppendsAndCountEveryLineOnce() throws Exception {
        // Given a log whose fsync is slow enough for appends to queue behind it
        Path file = dir.resolve("applied.log");
        AtomicInteger forces = new AtomicInteger();
        try (AppliedLog log = AppliedLog.open(file, true, WAIT, ch -> {
            forces.incrementAndGet();
            sleep(5);
            ch.force(false);
        })) {
            // When 16 threads append 20 lines each
            List<Future<?>> all = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                int thread = t;
                all.add(pool.submit(() -> {
                    for (int i = 0; i < 20; i++) {
                        log.append(key(thread * 100 + i));
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get(60, TimeUnit.SECONDS);
            }
            // Then every line is counted once, and fewer fsyncs than lines were needed
            assertThat(log.total()).isEqualTo(320);
            assertThat(log.fsyncs()).isEqualTo(forces.get()).isLessThan(320);
        }
        // And the file holds every line, whole, after a reopen
        try (AppliedLog reopened = AppliedLog.open(file)) {
            assertThat(reopened.total()).isEqualTo(320);
            assertThat(reopened.count(key(1519))).isEqualTo(1);
        }
    }

    @Test
    void shouldFailEveryAppendOfAFailedFsyncAndKeepEveryAcknowledgedLine() throws Exception {
        // Given a log with one acknowledged line, whose next fsync is held and then fails
        Path file = dir.resolve("applied.log");
        CountDownLatch hold = new CountDownLatch(1);
        AtomicBoolean failNext = new AtomicBoolean();
        AtomicInteger forces = new AtomicInteger();
        try (AppliedLog log = AppliedLog.open(file, true, WAIT, ch -> {
            forces.incrementAndGet();
            if (failNext.get()) {
                awaitLatch(hold);
                failNext.set(false);
                throw new IOException("Input/output error (injected)");
            }
            ch.force(false);
        })) {
            log.append(key(1));
            failNext.set(true);
            Future<?> leader = pool.submit(() -> append(log, key(2)));
            await().atMost(WAIT).until(() -> forces.get() == 2);
            Future<?> queued1 = pool.submit(() -> append(log, key(3)));
            Future<?> queued2 = pool.submit(() -> append(log, key(4)));
            await().atMost(WAIT).until(() -> Files.readAllLines(file).size() == 4);
            // When the fsync fails
            hold.countDown();
            // Then the append it covered and both queued behind it fail, and none of them is counted
            for (Future<?> f : List.of(leader, queued1, queued2)) {
                assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS))
                    .hasRootCauseMessage("Input/output error (injected)");
            }
            assertThat(log.parts()).containsExactly(key(1));
            // And the file is cut back to the acknowledged line; the next append is written after it
            assertThat(Files.readAllLines(file)).containsExactly(key(1).toString());
            log.append(key(5));
        }
        try (AppliedLog reopened = AppliedLog.open(file)) {
            assertThat(reopened.parts()).containsExactlyInAnyOrder(key(1), key(5));
            assertThat(reopened.total()).isEqualTo(2);
        }
    }

    private static Void append(AppliedLog log, PartKey key) throws IOException {
        log.append(key);
        return null;
    }

    private static void awaitLatch(CountDownLatch latch) throws IOException {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IOException("test latch not released");
            }
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
    }

    private static void sleep(long ms) throws IOException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
    }
}
