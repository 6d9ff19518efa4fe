package dev.handoff.protocol.common;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Group commit: callers make a change (append a log line, rename into a directory) and wait until one
 * {@code flush} (an fsync) that began after their change has succeeded. Whoever finds no flush running leads
 * the next one for everybody who joined before it began, so callers that queue behind one fsync share the next
 * instead of paying one each. Each caller returns only once a flush that covers its own change succeeded.
 *
 * <p>A failed flush fails every caller that joined and is not yet covered by a success: the group it flushed
 * and the group that was collecting meanwhile. The {@code onFailure} action runs first, under the same lock as
 * every change, so a log can cut itself back to what is durable before anybody writes again. What a succeeded
 * flush covered stays acknowledged. If {@code onFailure} fails too, the commit is broken for good: every later
 * call fails (after a failed fsync Linux may report the next one clean although the pages were lost, so
 * guessing is not safe).
 *
 * <p>Waits are bounded by {@code maxWait}: a caller whose change is not covered within it fails with an
 * {@link IOException} that says so (its change may still become durable later; callers must tolerate that).
 * Thread-safe.
 */
public final class GroupCommit {
    /** An action that may fail with an I/O error. */
    @FunctionalInterface
    public interface IoAction {
        void run() throws IOException;
    }

    private final String what;
    private final IoAction flush;
    private final IoAction onFailure;
    private final long maxWaitNanos;
    private final Object lock = new Object();
    private final AtomicLong flushes = new AtomicLong();
    private final AtomicLong commits = new AtomicLong();
    /** The group collecting callers; guarded by {@code lock}. */
    private Group open = new Group();
    /** Whether a flush is running; guarded by {@code lock}. */
    private boolean flushing;
    /** Set when {@code onFailure} failed: nothing is trusted any more; guarded by {@code lock}. */
    private IOException broken;

    /** One flush's callers, and what happened to it. Guarded by {@code lock}. */
    private static final class Group {
        final List<Runnable> onDurable = new ArrayList<>();
        boolean done;
        IOException failure;
    }

    /**
     * @param what what is made durable, for messages ({@code "applied.log"})
     * @param flush makes every change made so far durable (runs without the lock, concurrently with changes)
     * @param onFailure runs under the lock after a failed flush, before the waiters are failed
     * @param maxWait the longest a caller waits for its change to be covered
     */
    public GroupCommit(String what, IoAction flush, IoAction onFailure, Duration maxWait) {
        this.what = what;
        this.flush = flush;
        this.onFailure = onFailure;
        if (maxWait.isNegative() || maxWait.isZero()) {
            throw new IllegalArgumentException("maxWait: must be > 0, got " + maxWait);
        }
        this.maxWaitNanos = maxWait.toNanos();
    }

    /** A group commit of a directory: the flush fsyncs it; nothing to undo on failure. */
    public static GroupCommit ofDirectory(Path dir, Duration maxWait) {
        return new GroupCommit("directory " + dir, () -> Durable.fsyncDirectory(dir), () -> { }, maxWait);
    }

    /** {@link #commit(IoAction, Runnable)} with nothing to do once durable. */
    public void commit(IoAction change) throws IOException {
        commit(change, () -> { });
    }

    /**
     * Runs {@code change} under the lock (serialized with every other change and with {@code onFailure}), then
     * waits until a flush that began after it succeeded. {@code onDurable} runs (under the lock, by the flushing
     * thread) once that flush succeeded, even if this caller gave up waiting. A change that throws is not joined.
     */
    public void commit(IoAction change, Runnable onDurable) throws IOException {
        Group mine;
        synchronized (lock) {
            if (broken != null) {
                throw new IOException(what + " is unusable after a failed fsync that could not be undone", broken);
            }
            change.run();
            mine = open;
            mine.onDurable.add(onDurable);
        }
        commits.incrementAndGet();
        long deadline = System.nanoTime() + maxWaitNanos;
        while (true) {
            Group toFlush;
            synchronized (lock) {
                while (!mine.done && flushing) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new IOException(what + ": not durable within " + Duration.ofNanos(maxWaitNanos)
                            + " (an fsync is taking longer)");
                    }
                    try {
                        lock.wait(left / 1_000_000, (int) (left % 1_000_000));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException(what + ": interrupted while waiting for an fsync", e);
                    }
                }
                if (mine.done) {
                    if (mine.failure != null) {
                        throw new IOException(what + ": fsync failed: " + mine.failure.getMessage(), mine.failure);
                    }
                    return;
                }
                flushing = true;
                toFlush = open;
                open = new Group();
            }
            lead(toFlush);
        }
    }

    private void lead(Group toFlush) {
        IOException failure = null;
        try {
            flushes.incrementAndGet();
            flush.run();
        } catch (IOException e) {
            failure = e;
        } catch (RuntimeException e) {
            failure = new IOException(e.toString(), e);
        }
        synchronized (lock) {
            try {
                if (failure == null) {
                    toFlush.onDurable.forEach(Runnable::run);
                    finish(toFlush, null);
                } else {
                    try {
                        onFailure.run();
                    } catch (IOException | RuntimeException e) {
                        failure.addSuppressed(e);
                        broken = failure;
                    }
                    finish(toFlush, failure);
                    finish(open, failure);
                    open = new Group();
                }
            } finally {
                flushing = false;
                lock.notifyAll();
            }
        }
    }

    private static void finish(Group group, IOException failure) {
        group.done = true;
        group.failure = failure;
    }

    /** Flushes begun so far (each one fsync): with {@link #commits()}, how much the group commit shares. */
    public long flushes() {
        return flushes.get();
    }

    /** Changes committed so far (joined a group). */
    public long commits() {
        return commits.get();
    }
}
