package dev.handoff.protocol.common;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.RejectedExecutionException;

/**
 * Makes several files and directories durable at once. One fsync costs about one journal commit (and far more
 * on a busy disk), while concurrent fsyncs share commits: a bundle's files and directories are fsynced together
 * instead of one after the other. {@link #serial()} does them in order on the caller's thread.
 *
 * <p>Failure semantics, the same for both: every fsync is attempted and has finished when {@link #fsyncAll}
 * returns or throws, so a caller that cleans up after a failure never races an fsync still running on the files
 * it deletes; the first failure (in the order given) is thrown with the others suppressed, so none is hidden.
 * An interrupt cancels what has not started, waits for nothing more, and keeps the thread's interrupt flag.
 * Thread-safe; owns its threads ({@link #close()}).
 */
public final class Fsyncs implements AutoCloseable {
    private final ExecutorService pool;
    /** {@link #noneBenchmarkOnly()}: nothing is fsynced at all. */
    private final boolean skip;
    private final AtomicLong issued = new AtomicLong();

    private Fsyncs(ExecutorService pool, boolean skip) {
        this.pool = pool;
        this.skip = skip;
    }

    /** fsyncs on {@code threads} daemon threads named {@code <threadName>-<n>}; the caller waits for all of them. */
    public static Fsyncs parallel(int threads, String threadName) {
        return new Fsyncs(Executors.newFixedThreadPool(threads, Daemons.numbered(threadName + "-")), false);
    }

    /** fsyncs one after the other on the caller's thread. */
    public static Fsyncs serial() {
        return new Fsyncs(null, false);
    }

    /**
     * BENCHMARKS ONLY (the data node's {@code --unsafe-no-fsync-benchmark-only}): fsyncs nothing, so a benchmark can
     * measure what the pipeline costs without the disk's fsyncs. Nothing it was given survives a power loss.
     */
    public static Fsyncs noneBenchmarkOnly() {
        return new Fsyncs(null, true);
    }

    /** False only for {@link #noneBenchmarkOnly()}: whether what {@link #fsyncAll} is given is fsynced. */
    public boolean durable() {
        return !skip;
    }

    /** Returns once every file and directory is durable; see the class comment for failures. */
    public void fsyncAll(List<Path> files, List<Path> dirs) throws IOException {
        if (skip) {
            return;
        }
        issued.addAndGet(files.size() + dirs.size());
        List<Callable<Void>> tasks = new ArrayList<>(files.size() + dirs.size());
        files.forEach(f -> tasks.add(() -> {
            Durable.fsync(f);
            return null;
        }));
        dirs.forEach(d -> tasks.add(() -> {
            Durable.fsyncDirectory(d);
            return null;
        }));
        if (pool == null || tasks.size() < 2) {
            serially(tasks);
            return;
        }
        List<Future<Void>> done;
        try {
            done = pool.invokeAll(tasks);
        } catch (RejectedExecutionException e) {
            throw new IOException("closing: cannot fsync", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fsyncing", e);
        }
        IOException first = null;
        for (Future<Void> f : done) {
            try {
                f.get();
            } catch (ExecutionException e) {
                first = add(first, e.getCause());
            } catch (InterruptedException e) {
                // invokeAll returned: every task is done, get() cannot block
                Thread.currentThread().interrupt();
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static void serially(List<Callable<Void>> tasks) throws IOException {
        IOException first = null;
        for (Callable<Void> t : tasks) {
            try {
                t.call();
            } catch (Exception e) {
                first = add(first, e);
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static IOException add(IOException first, Throwable failure) {
        if (first == null) {
            return failure instanceof IOException io ? io : new IOException("fsync failed", failure);
        }
        first.addSuppressed(failure);
        return first;
    }

    /** fsyncs asked for so far (files and directories), so a caller can count what one unit of work costs. */
    public long issued() {
        return issued.get();
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
