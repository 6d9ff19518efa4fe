package dev.handoff.protocol.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GroupCommitTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final ExecutorService pool = Executors.newCachedThreadPool();

    /** A log in memory: lines written, how many are durable, and a flush that can be held or made to fail. */
    private static final class FakeLog {
        final List<String> written = new ArrayList<>();
        volatile int durable;
        final List<String> acknowledged = new CopyOnWriteArrayList<>();
        final AtomicInteger flushes = new AtomicInteger();
        volatile CountDownLatch hold = new CountDownLatch(0);
        final AtomicBoolean failNext = new AtomicBoolean();
        final AtomicBoolean undoFails = new AtomicBoolean();
        final GroupCommit group;

        FakeLog(Duration maxWait) {
            group = new GroupCommit("fake log", this::flush, this::undo, maxWait);
        }

        private void flush() throws IOException {
            int target;
            synchronized (written) {
                target = written.size();
            }
            flushes.incrementAndGet();
            try {
                hold.await();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            if (failNext.getAndSet(false)) {
                throw new IOException("EIO (injected)");
            }
            durable = target;
        }

        private void undo() throws IOException {
            if (undoFails.get()) {
                throw new IOException("truncate failed (injected)");
            }
            synchronized (written) {
                written.subList(durable, written.size()).clear();
            }
        }

        void append(String line) throws IOException {
            group.commit(() -> {
                synchronized (written) {
                    written.add(line);
                }
            }, () -> acknowledged.add(line));
        }

        List<String> lines() {
            synchronized (written) {
                return List.copyOf(written);
            }
        }
    }

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void shouldShareOneFlushAmongEveryCallerThatQueuedBehindTheRunningOne() throws Exception {
        // Given a first append whose flush is held
        FakeLog log = new FakeLog(WAIT);
        log.hold = new CountDownLatch(1);
        Future<?> first = pool.submit(() -> append(log, "line-0"));
        await().atMost(WAIT).until(() -> log.flushes.get() == 1);
        // When 7 more appends arrive while it runs, and it then finishes
        List<Future<?>> more = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            String line = "line-" + i;
            more.add(pool.submit(() -> append(log, line)));
        }
        await().atMost(WAIT).until(() -> log.group.commits() == 8);
        log.hold.countDown();
        first.get(30, TimeUnit.SECONDS);
        for (Future<?> f : more) {
            f.get(30, TimeUnit.SECONDS);
        }
        // Then the 7 shared the second flush: 2 flushes for 8 appends, every line acknowledged and durable
        assertThat(log.group.flushes()).isEqualTo(2);
        assertThat(log.acknowledged).hasSize(8);
        assertThat(log.durable).isEqualTo(8);
    }

    @Test
    void shouldReturnOnlyOnceAFlushThatBeganAfterTheCallersChangeSucceeded() throws Exception {
        // Given 16 threads appending 50 lines each
        FakeLog log = new FakeLog(WAIT);
        List<Future<?>> all = new ArrayList<>();
        List<String> violations = new CopyOnWriteArrayList<>();
        for (int t = 0; t < 16; t++) {
            int thread = t;
            all.add(pool.submit(() -> {
                for (int i = 0; i < 50; i++) {
                    String line = thread + "-" + i;
                    append(log, line);
                    // Then, when its append returns, the line is within what a flush made durable
                    int index = log.lines().indexOf(line);
                    if (index < 0 || index >= log.durable) {
                        violations.add(line + " at " + index + ", durable " + log.durable);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : all) {
            f.get(60, TimeUnit.SECONDS);
        }
        assertThat(violations).isEmpty();
        assertThat(log.acknowledged).hasSize(800);
        assertThat(log.group.flushes()).isBetween(1L, 800L);
    }

    @Test
    void shouldFailEveryWaiterOfAFailedFlushAndLoseNothingAlreadyAcknowledged() throws Exception {
        // Given one acknowledged line, then a flush that will fail, held while two more appends queue behind it
        FakeLog log = new FakeLog(WAIT);
        log.append("acked");
        log.hold = new CountDownLatch(1);
        log.failNext.set(true);
        Future<?> leader = pool.submit(() -> append(log, "lost-1"));
        await().atMost(WAIT).until(() -> log.flushes.get() == 2);
        Future<?> waiter1 = pool.submit(() -> append(log, "lost-2"));
        Future<?> waiter2 = pool.submit(() -> append(log, "lost-3"));
        await().atMost(WAIT).until(() -> log.group.commits() == 4);
        // When the flush fails
        log.hold.countDown();
        // Then all three fail, naming the fsync failure; the log is cut back to the acknowledged line
        for (Future<?> f : List.of(leader, waiter1, waiter2)) {
            assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS)).hasRootCauseMessage("EIO (injected)");
        }
        assertThat(log.lines()).containsExactly("acked");
        assertThat(log.acknowledged).containsExactly("acked");
        // And the next append is written and flushed afresh
        log.append("next");
        assertThat(log.lines()).containsExactly("acked", "next");
        assertThat(log.acknowledged).containsExactly("acked", "next");
    }

    @Test
    void shouldRefuseEveryLaterChangeWhenAFailedFlushCannotBeUndone() throws Exception {
        // Given a flush that fails and an undo that fails too
        FakeLog log = new FakeLog(WAIT);
        log.append("acked");
        log.failNext.set(true);
        log.undoFails.set(true);
        assertThatThrownBy(() -> log.append("lost")).hasMessageContaining("fsync failed");
        // When another append comes, Then it is refused without being written
        assertThatThrownBy(() -> log.append("refused")).hasMessageContaining("unusable after a failed fsync");
        assertThat(log.lines()).doesNotContain("refused");
        assertThat(log.acknowledged).containsExactly("acked");
    }

    @Test
    void shouldGiveUpWaitingAfterMaxWaitWithAClearError() throws Exception {
        // Given a flush that hangs
        FakeLog log = new FakeLog(Duration.ofMillis(300));
        log.hold = new CountDownLatch(1);
        Future<?> stuck = pool.submit(() -> append(log, "stuck"));
        await().atMost(WAIT).until(() -> log.flushes.get() == 1);
        // When another append waits behind it, Then it fails once maxWait passed
        assertThatThrownBy(() -> log.append("waiting")).isInstanceOf(IOException.class)
            .hasMessageContaining("not durable within PT0.3S");
        // And once the fsync returns, the stuck caller and the next flush still work
        log.hold.countDown();
        stuck.get(30, TimeUnit.SECONDS);
        log.append("after");
        assertThat(log.acknowledged).contains("stuck", "waiting", "after");
    }

    @Test
    void shouldRejectANonPositiveMaxWait() {
        assertThatThrownBy(() -> new GroupCommit("x", () -> { }, () -> { }, Duration.ZERO))
            .hasMessageContaining("maxWait");
    }

    private static Void append(FakeLog log, String line) throws IOException {
        log.append(line);
        return null;
    }
}
