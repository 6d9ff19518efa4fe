package dev.handoff.datanode;

import dev.handoff.protocol.common.Durable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes several files and directories durable at once. One fsync costs about one journal commit (and far more
 * on a busy disk), while concurrent fsyncs share commits: a bundle's files, type directories and staging
 * directory are fsynced together instead of one after the other. {@link #serial()} does them in order on the
 * caller's thread. Thread-safe; owns its threads ({@link #close()}).
 */
final class Fsyncs implements AutoCloseable {
    private final ExecutorService pool;
    /** {@link #noneBenchmarkOnly()}: nothing is fsynced at all. */
    private final boolean skip;

    private Fsyncs(ExecutorService pool, boolean skip) {
        this.pool = pool;
        this.skip = skip;
    }

    /** fsyncs on {@code threads} daemon threads; the caller waits for all of them. */
    static Fsyncs parallel(int threads) {
        AtomicInteger n = new AtomicInteger();
        return new Fsyncs(Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "datanode-fsync-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }), false);
    }

    /** fsyncs one after the other on the caller's thread. */
    static Fsyncs serial() {
        return new Fsyncs(null, false);
    }

    /**
     * BENCHMARKS ONLY ({@code --unsafe-no-fsync-benchmark-only}): fsyncs nothing, so a benchmark can measure what
     * the pipeline costs without the disk's fsyncs. An APPLIED answer then survives no power loss.
     */
    static Fsyncs noneBenchmarkOnly() {
        return new Fsyncs(null, true);
    }

    /** False only for {@link #noneBenchmarkOnly()}: whether anything given to {@link #fsyncAll} is fsynced. */
    boolean durable() {
        return !skip;
    }

    /** Returns once every file and directory is durable; the first failure is thrown after all finished. */
    void fsyncAll(List<Path> files, List<Path> dirs) throws IOException {
        if (skip) {
            return;
        }
        if (pool == null || files.size() + dirs.size() < 2) {
            for (Path f : files) {
                Durable.fsync(f);
            }
            for (Path d : dirs) {
                Durable.fsyncDirectory(d);
            }
            return;
        }
        List<Future<?>> pending = new ArrayList<>(files.size() + dirs.size());
        try {
            for (Path f : files) {
                pending.add(pool.submit(() -> sync(f, false)));
            }
            for (Path d : dirs) {
                pending.add(pool.submit(() -> sync(d, true)));
            }
        } catch (RejectedExecutionException e) {
            throw new IOException("data node closing: cannot fsync", e);
        }
        IOException first = null;
        for (Future<?> f : pending) {
            try {
                f.get();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() instanceof UncheckedIOException u ? u.getCause() : e.getCause();
                if (first == null) {
                    first = cause instanceof IOException io ? io : new IOException(cause);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while fsyncing", e);
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static Void sync(Path path, boolean directory) {
        try {
            if (directory) {
                Durable.fsyncDirectory(path);
            } else {
                Durable.fsync(path);
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
