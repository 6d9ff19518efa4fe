package dev.handoff.benchmarks;

import dev.handoff.protocol.common.Durable;
import dev.handoff.protocol.common.GroupCommit;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
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
 * directory together on a 32-thread pool (as the node does); rename it into its shard directory and fsync that
 * directory by group commit (renames into one directory that arrive while its fsync runs share the next, as in
 * the node); append a line to a log and fsync it by group commit. That is 4 file + 3 directory fsyncs per bundle
 * plus a share of a shard-directory fsync and of a log fsync ({@code tmp/} needs no fsync after the rename: see
 * docs/DATANODE.md, "Power loss"). {@code threads} senders run at once: the replayer's sessions per node. The
 * group commit is the node's own ({@link GroupCommit}).
 */
final class DiskCeiling {
    private static final int FSYNC_THREADS = 32;
    private static final int[] CORE = {2048, 512, 1024};
    private static final int SIDX = 512;
    private static final Duration WAIT = Duration.ofMinutes(1);

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
        AtomicLong fsyncs = new AtomicLong();
        List<Shard> shards = new ArrayList<>();
        for (int s = 0; s < 8; s++) {
            Path shard = Files.createDirectories(dir.resolve("parts/probe/sw_metric/" + s));
            shards.add(new Shard(shard, new GroupCommit("probe shard", () -> force(shard, true, fsyncs), () -> { },
                WAIT)));
        }
        byte[] data = new byte[4096];
        new SplittableRandom(17).nextBytes(data);
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(FSYNC_THREADS);
        ExecutorService senders = Executors.newFixedThreadPool(threads);
        try (FileChannel logChannel = FileChannel.open(dir.resolve("applied.log"), StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE)) {
            GroupCommit log = new GroupCommit("probe log", () -> {
                logChannel.force(false);
                fsyncs.incrementAndGet();
            }, () -> { }, WAIT);
            long t0 = System.nanoTime();
            List<Future<Void>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(senders.submit(() -> {
                    for (int i = next.getAndIncrement(); i < bundles; i = next.getAndIncrement()) {
                        oneBundle(tmp, shards.get(i % shards.size()), i, data, pool, fsyncs, log, logChannel);
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

    private record Shard(Path dir, GroupCommit fsync) {
    }

    private static void oneBundle(Path tmp, Shard shard, int i, byte[] data, ExecutorService pool, AtomicLong fsyncs,
                                  GroupCommit log, FileChannel logChannel) throws Exception {
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
        shard.fsync().commit(() -> Files.move(staging, shard.dir().resolve(String.format("%016x", i)),
            StandardCopyOption.ATOMIC_MOVE));
        ByteBuffer line = ByteBuffer.wrap(("probe/sw_metric/" + i + "\n").getBytes(StandardCharsets.UTF_8));
        log.commit(() -> {
            while (line.hasRemaining()) {
                logChannel.write(line);
            }
        });
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
}
