package dev.handoff.datanode;

import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.common.Durable;
import dev.handoff.protocol.common.GroupCommit;
import dev.handoff.protocol.common.Undo;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code applied.log}: one line {@code liaison/group/shard/partId} per APPLIED answer, fsynced before the
 * answer, plus its in-memory count per PartKey. This is the oracle of "applied exactly once", across restarts.
 * Thread-safe: lines are written one at a time and made durable by group commit ({@link GroupCommit}): appenders
 * that arrive while one fsync runs share the next, and each returns only once an fsync that began after its own
 * line was written succeeded. A failed fsync cuts the log back to what earlier fsyncs made durable and fails
 * every appender not yet covered, so a line is counted (and its bundle answered APPLIED) only once it is on
 * disk, and nothing acknowledged before is lost. Reads go to a concurrent map.
 */
final class AppliedLog implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(AppliedLog.class);

    private final Path file;
    private final Map<PartKey, Integer> counts = new ConcurrentHashMap<>();
    private final AtomicLong total = new AtomicLong();
    /** End of the last line written (changes run under the group commit's lock). */
    private volatile long written;
    /** Everything before this offset is on disk: set by the one flush running at a time. */
    private volatile long durable;
    private final FileChannel channel;
    /** Null only with the benchmark-only no-fsync option: appends are then not fsynced. */
    private final GroupCommit group;
    /** Serializes appends when there is no group commit (the benchmark-only no-fsync option). */
    private final Object writeLock = new Object();

    /** How the log's channel is forced to disk: {@code FileChannel::force} except in tests of a failing fsync. */
    interface Force {
        void force(FileChannel channel) throws IOException;
    }

    private final Force force;

    private AppliedLog(Path file, FileChannel channel, boolean fsyncAppends, Duration fsyncWait, Force force) {
        this.file = file;
        this.channel = channel;
        this.force = force;
        this.group = fsyncAppends ? new GroupCommit("applied.log " + file, this::flush, this::cutBackToDurable, fsyncWait)
            : null;
    }

    /** Opens (or creates) the log, dropping a torn last line left by a crash mid-append. */
    static AppliedLog open(Path file) throws IOException {
        return open(file, true, DataNodeSettings.DEFAULT_FSYNC_WAIT);
    }

    /**
     * Like {@link #open(Path)}; with {@code fsyncAppends} false (benchmarks only) an append is not fsynced; an
     * appender waits at most {@code fsyncWait} for the fsync covering its line.
     */
    static AppliedLog open(Path file, boolean fsyncAppends, Duration fsyncWait) throws IOException {
        return open(file, fsyncAppends, fsyncWait, ch -> ch.force(false));
    }

    /** Like {@link #open(Path, boolean, Duration)}, forcing the log to disk through {@code force} (a test seam). */
    static AppliedLog open(Path file, boolean fsyncAppends, Duration fsyncWait, Force force) throws IOException {
        boolean created = !Files.exists(file);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE);
        AppliedLog log = new AppliedLog(file, channel, fsyncAppends, fsyncWait, force);
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
        written = complete;
        durable = complete;
    }

    private PartKey parseLine(String line) throws IOException {
        try {
            return PartKey.parse(line);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": unreadable line \"" + line + "\": " + e.getMessage(), e);
        }
    }

    /** Appends and fsyncs one line for {@code key}, then counts it; see the class comment for failures. */
    void append(PartKey key) throws IOException {
        ByteBuffer line = ByteBuffer.wrap((key + "\n").getBytes(StandardCharsets.UTF_8));
        if (group == null) {
            synchronized (writeLock) {
                write(line);
                record(key);
            }
            return;
        }
        group.commit(() -> write(line), () -> record(key));
    }

    private void write(ByteBuffer line) throws IOException {
        long start = channel.position();
        try {
            while (line.hasRemaining()) {
                channel.write(line);
            }
        } catch (IOException e) {
            // A full disk can take part of the line (a short write) before it fails: cut it off, or the
            // next append would continue that torn line and the log would not load at the next start.
            throw Undo.after(e, IOException.class, () -> {
                channel.truncate(start);
                channel.position(start);
            });
        }
        written = channel.position();
    }

    /** The group commit's flush: everything written before it began is on disk when it returns. */
    private void flush() throws IOException {
        long target = written;
        force.force(channel);
        durable = target;
    }

    /**
     * After a failed fsync nobody after {@link #durable} was acknowledged, and what the kernel kept of those lines
     * is unknown: drop them all (their appenders fail), so the next lines are written, and fsynced, afresh.
     */
    private void cutBackToDurable() throws IOException {
        channel.truncate(durable);
        channel.position(durable);
        written = durable;
    }

    /** fsyncs of the log so far (each covers every line written before it). */
    long fsyncs() {
        return group == null ? 0 : group.flushes();
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
    public void close() throws IOException {
        channel.close();
    }
}
