package dev.handoff.benchmarks;

import dev.handoff.protocol.common.Durable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The disk ceiling probe of drain-small: how many small bundles per second this disk lets a receiver make
 * durable, with nothing else in the way. Each bundle is what the reference data node must at least do by the
 * power-loss rules of docs/DATANODE.md: write 4 files (2 KiB, 512 B, 1 KiB in {@code core/}, 512 B in
 * {@code sidx_trace_id/}) into a staging directory; fsync the 4 files, the 2 type directories and the staging
 * directory together on a 32-thread pool (as the node does); rename it into its shard directory; fsync that
 * directory; append a line to a log and fsync it by group commit. That is 4 file + 4 directory fsyncs per
 * bundle plus a share of a log fsync ({@code tmp/}'s fsync, which the node also issues, is not needed for an
 * APPLIED bundle to survive and is left out). {@code threads} senders run at once: the replayer's sessions per node.
 */
final class DiskCeiling {
    private static final int FSYNC_THREADS = 32;
    private static final int[] CORE = {2048, 512, 1024};
    private static final int SIDX = 512;

    /** What the probe measured. */
    record Probe(double bundlesPerSec, double fsyncsPerBundle, int threads, int bundles) {
        String describe() {
            return String.format(Locale.ROOT, "disk ceiling probe: %,d bundles, %d threads, %.2f fsyncs per bundle",
                bundles, threads, fsyncsPerBundle);
        }
    }

    private DiskCeiling() {
    }

    static Probe probe(Path dir, int threads, int bundles) throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        List<Path> shards = new ArrayList<>();
        for (int s = 0; s < 8; s++) {
            shards.add(Files.createDirectories(dir.resolve("parts/probe/sw_metric/" + s)));
        }
        byte[] data = new byte[4096];
        new SplittableRandom(17).nextBytes(data);
        AtomicInteger next = new AtomicInteger();
        AtomicLong fsyncs = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(FSYNC_THREADS);
        ExecutorService senders = Executors.newFixedThreadPool(threads);
        try (GroupLog log = new GroupLog(dir.resolve("applied.log"), fsyncs)) {
            long t0 = System.nanoTime();
            List<Future<Void>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(senders.submit(() -> {
                    for (int i = next.getAndIncrement(); i < bundles; i = next.getAndIncrement()) {
                        oneBundle(tmp, shards.get(i % shards.size()), i, data, pool, fsyncs, log);
                    }
                    return null;
                }));
            }
            for (Future<Void> f : done) {
                f.get();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            return new Probe(bundles / seconds, fsyncs.get() / (double) bundles, threads, bundles);
        } finally {
            senders.shutdownNow();
            pool.shutdownNow();
            Durable.deleteTree(dir);
        }
    }

    private static void oneBundle(Path tmp, Path shard, int i, byte[] data, ExecutorService pool, AtomicLong fsyncs,
                                  GroupLog log) throws Exception {
        Path staging = Files.createDirectory(tmp.resolve("s" + i));
        Path core = Files.createDirectory(staging.resolve("core"));
        Path sidx = Files.createDirectory(staging.resolve("sidx_trace_id"));
        List<Path> files = new ArrayList<>();
        int offset = 0;
        for (int c = 0; c < CORE.length; c++) {
            files.add(write(core.resolve("f" + c), data, offset, CORE[c]));
            offset += CORE[c];
        }
        files.add(write(sidx.resolve("data.bin"), data, offset, SIDX));
        List<Callable<Void>> syncs = new ArrayList<>();
        files.forEach(f -> syncs.add(() -> force(f, false, fsyncs)));
        for (Path d : List.of(core, sidx, staging)) {
            syncs.add(() -> force(d, true, fsyncs));
        }
        for (Future<Void> f : pool.invokeAll(syncs)) {
            f.get();
        }
        Files.move(staging, shard.resolve(String.format("%016x", i)), StandardCopyOption.ATOMIC_MOVE);
        force(shard, true, fsyncs);
        log.append("probe/sw_metric/" + i);
    }

    private static Path write(Path file, byte[] data, int offset, int length) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(data, offset, length);
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }
        return file;
    }

    private static Void force(Path path, boolean directory, AtomicLong fsyncs) throws IOException {
        try (FileChannel ch = FileChannel.open(path, directory ? StandardOpenOption.READ : StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        fsyncs.incrementAndGet();
        return null;
    }

    /** An append-only log made durable by group commit: one fsync at a time covers every line written before it. */
    private static final class GroupLog implements AutoCloseable {
        private final FileChannel channel;
        private final AtomicLong fsyncs;
        private final Object syncLock = new Object();
        private long written;
        private long durable;

        GroupLog(Path file, AtomicLong fsyncs) throws IOException {
            this.channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            this.fsyncs = fsyncs;
        }

        void append(String line) throws IOException {
            long end;
            synchronized (this) {
                ByteBuffer b = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
                while (b.hasRemaining()) {
                    channel.write(b);
                }
                end = channel.position();
                written = end;
            }
            synchronized (syncLock) {
                if (durable >= end) {
                    return;
                }
                long target;
                synchronized (this) {
                    target = written;
                }
                channel.force(false);
                fsyncs.incrementAndGet();
                durable = target;
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
