package dev.handoff.datanode;

import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.common.Durable;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code applied.log}: one line {@code liaison/group/shard/partId} per APPLIED answer, fsynced before the
 * answer, plus its in-memory count per PartKey. This is the oracle of "applied exactly once", across restarts.
 * Thread-safe: lines are written under this object's lock and made durable by group commit ({@link #syncTo}); reads go to
 * a concurrent map.
 */
final class AppliedLog implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(AppliedLog.class);

    private final Path file;
    private final Map<PartKey, Integer> counts = new ConcurrentHashMap<>();
    private final AtomicLong total = new AtomicLong();
    private final Object syncLock = new Object();
    /** End of the last line written; guarded by {@code this}. */
    private long written;
    /** Everything before this offset is on disk; guarded by {@code syncLock}. */
    private long durable;
    private final FileChannel channel;
    /** False only with the benchmark-only no-fsync option: appends are then not fsynced. */
    private final boolean fsyncAppends;

    private AppliedLog(Path file, FileChannel channel, boolean fsyncAppends) {
        this.file = file;
        this.channel = channel;
        this.fsyncAppends = fsyncAppends;
    }

    /** Opens (or creates) the log, dropping a torn last line left by a crash mid-append. */
    static AppliedLog open(Path file) throws IOException {
        return open(file, true);
    }

    /** Like {@link #open(Path)}; with {@code fsyncAppends} false (benchmarks only) an append is not fsynced. */
    static AppliedLog open(Path file, boolean fsyncAppends) throws IOException {
        boolean created = !Files.exists(file);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE);
        AppliedLog log = new AppliedLog(file, channel, fsyncAppends);
        try {
            if (created) {
                Durable.fsyncDirectory(file.getParent());
            }
            log.load();
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return log;
    }

    private void load() throws IOException {
        long complete = 0;
        long offset = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                offset += line.getBytes(StandardCharsets.UTF_8).length + 1;
                if (offset > channel.size()) {
                    break;
                }
                complete = offset;
                if (!line.isBlank()) {
                    record(parseLine(line));
                }
            }
        }
        if (complete < channel.size()) {
            LOGGER.atWarn().addKeyValue("file", file).addKeyValue("bytes", channel.size() - complete)
                .log("dropping a torn last line of the applied log");
            channel.truncate(complete);
            channel.force(true);
        }
        channel.position(complete);
    }

    private PartKey parseLine(String line) throws IOException {
        try {
            return PartKey.parse(line);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": unreadable line \"" + line + "\": " + e.getMessage(), e);
        }
    }

    /** Appends and fsyncs one line for {@code key}, then counts it. */
    void append(PartKey key) throws IOException {
        ByteBuffer line = ByteBuffer.wrap((key + "\n").getBytes(StandardCharsets.UTF_8));
        long end;
        synchronized (this) {
            long start = channel.position();
            try {
                while (line.hasRemaining()) {
                    channel.write(line);
                }
            } catch (IOException e) {
                // A full disk can take part of the line (a short write) before it fails: cut it off, or the
                // next append would continue that torn line and the log would not load at the next start.
                cutBack(start, e);
                throw e;
            }
            end = channel.position();
            written = end;
        }
        if (fsyncAppends) {
            syncTo(end);
        }
        record(key);
    }

    private void cutBack(long start, IOException failure) {
        try {
            channel.truncate(start);
            channel.position(start);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * Group commit: one fsync at a time; whoever gets the turn syncs every line written so far, so appenders
     * that queued behind one fsync are all covered by the next instead of one fsync each.
     */
    private void syncTo(long end) throws IOException {
        synchronized (syncLock) {
            if (durable >= end) {
                return;
            }
            long target;
            synchronized (this) {
                target = written;
            }
            channel.force(false);
            durable = target;
        }
    }

    private void record(PartKey key) {
        counts.merge(key, 1, Integer::sum);
        total.incrementAndGet();
    }

    boolean contains(PartKey key) {
        return counts.containsKey(key);
    }

    int count(PartKey key) {
        return counts.getOrDefault(key, 0);
    }

    Set<PartKey> parts() {
        return Set.copyOf(counts.keySet());
    }

    long total() {
        return total.get();
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }
}
