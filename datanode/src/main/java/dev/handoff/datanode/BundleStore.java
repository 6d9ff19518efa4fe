package dev.handoff.datanode;

import dev.handoff.protocol.PartIds;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.common.Durable;
import dev.handoff.protocol.common.Fsyncs;
import dev.handoff.protocol.common.GroupCommit;
import dev.handoff.protocol.common.GroupCommit.IoAction;
import dev.handoff.protocol.common.PartLocks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data directory: {@code tmp/<session>/} for bundles being received, {@code parts/<liaison>/<group>/
 * <shard>/<partIdHex>/<type>/<file>} for applied ones, and {@code applied.log}. Thread-safe: making a
 * bundle visible is serialized per PartKey (striped locks), so one PartKey is applied at most once.
 */
final class BundleStore implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(BundleStore.class);
    private static final int STRIPES = 64;

    /** What {@link #commit} did. */
    enum Commit { APPLIED, DUPLICATE }

    private final Path parts;
    private final Path tmp;
    private final AppliedLog log;
    private final PartLocks locks = new PartLocks(STRIPES);

    private final Fsyncs fsyncs;
    private final Duration fsyncWait;
    /**
     * One group commit per shard directory bundles are renamed into: renames that arrive while its fsync runs
     * share the next one. Bounded by the number of (liaison, group, shard) directories, like {@code parts/} itself.
     */
    private final Map<Path, GroupCommit> shardDirs = new ConcurrentHashMap<>();

    private BundleStore(Path parts, Path tmp, AppliedLog log, Fsyncs fsyncs, Duration fsyncWait) {
        this.fsyncs = fsyncs;
        this.fsyncWait = fsyncWait;
        this.parts = parts;
        this.tmp = tmp;
        this.log = log;
    }

    /** Opens the directory: removes what a crash left in {@code tmp/}, loads and reconciles the applied log. */
    static BundleStore open(Path dataDir) throws IOException {
        return open(dataDir, Fsyncs.serial(), DataNodeSettings.DEFAULT_FSYNC_WAIT);
    }

    /**
     * Like {@link #open(Path)}; new shard directories' parents are fsynced through {@code fsyncs}; a commit waits
     * at most {@code fsyncWait} for the shared fsync of its shard directory and of the log.
     */
    static BundleStore open(Path dataDir, Fsyncs fsyncs, Duration fsyncWait) throws IOException {
        return open(dataDir, fsyncs, fsyncWait, Durable::fsyncDirectory);
    }

    /**
     * Like {@link #open(Path, Fsyncs)}; the directories created at the first start ({@code dataDir} and its
     * missing parents, {@code parts/}, {@code tmp/}) are made durable through {@code sync}.
     */
    static BundleStore open(Path dataDir, Fsyncs fsyncs, Duration fsyncWait, Durable.DirectorySync sync)
        throws IOException {
        Durable.createDirectories(dataDir, sync);
        Path parts = dataDir.resolve("parts");
        Path tmp = dataDir.resolve("tmp");
        Files.createDirectories(parts);
        Files.createDirectories(tmp);
        sync.fsync(dataDir);
        cleanTmp(tmp);
        BundleStore store = new BundleStore(parts, tmp,
            AppliedLog.open(dataDir.resolve("applied.log"), fsyncs.durable(), fsyncWait), fsyncs, fsyncWait);
        store.reconcile();
        return store;
    }

    private static void cleanTmp(Path tmp) throws IOException {
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(tmp)) {
            for (Path leftover : leftovers) {
                LOGGER.atInfo().addKeyValue("path", leftover).log("removing an unfinished session left by a crash");
                Durable.deleteTree(leftover);
            }
        }
        Durable.fsyncDirectory(tmp);
    }

    /**
     * A crash between the rename into {@code parts/} and the append to the log leaves a complete bundle the
     * log does not know: it was made visible once, so it is logged now (its sender never got APPLIED and will
     * be answered DUPLICATE).
     */
    private void reconcile() throws IOException {
        try (Stream<Path> dirs = Files.find(parts, 4, (p, a) -> a.isDirectory() && parts.relativize(p).getNameCount() == 4)) {
            for (Path dir : (Iterable<Path>) dirs::iterator) {
                PartKey key = keyOf(parts.relativize(dir));
                if (key != null && !log.contains(key)) {
                    LOGGER.atWarn().addKeyValue("part", key).log("logging a bundle applied just before a crash");
                    log.append(key);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static PartKey keyOf(Path relative) {
        try {
            return new PartKey(relative.getName(0).toString(), relative.getName(1).toString(),
                Integer.parseInt(relative.getName(2).toString()),
                PartIds.parseHex("partId", relative.getName(3).toString()));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Where an applied bundle lives. */
    Path bundleDir(PartKey key) {
        return key.directoryUnder(parts.resolve(key.liaison()));
    }

    /** The data directory ({@code --dir}). */
    Path dataDir() {
        return tmp.getParent();
    }

    Path tmpDir() {
        return tmp;
    }

    boolean isApplied(PartKey key) {
        return log.contains(key);
    }

    /** A new, empty staging directory for one session. */
    Path newStaging() throws IOException {
        return Files.createDirectory(tmp.resolve(UUID.randomUUID().toString()));
    }

    /**
     * Makes a fully written and fsynced staging directory visible as {@code key}, atomically, once: the rename,
     * the fsync of its parent (shared with the renames into the same directory that arrive while one runs), then
     * the applied-log line (group commit). DUPLICATE (staging untouched) if already there. {@code tmp/} is not
     * fsynced: the rename is one atomic change of both directories, so once the shard directory's fsync made
     * the new name durable the old one cannot come back (docs/DATANODE.md, "Power loss").
     */
    Commit commit(PartKey key, Path staging) throws IOException {
        ReentrantLock lock = locks.of(key);
        lock.lock();
        try {
            Path target = bundleDir(key);
            if (log.contains(key)) {
                return Commit.DUPLICATE;
            }
            if (Files.exists(target)) {
                // Renamed by an earlier session whose directory fsync or log line failed (or just before a
                // crash): make the rename durable before the line says so.
                if (fsyncs.durable()) {
                    shardDir(target.getParent()).commit(() -> { });
                }
                log.append(key);
                return Commit.DUPLICATE;
            }
            createParents(target.getParent());
            IoAction rename = () -> Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            if (fsyncs.durable()) {
                shardDir(target.getParent()).commit(rename);
            } else {
                rename.run();
            }
            log.append(key);
            return Commit.APPLIED;
        } finally {
            lock.unlock();
        }
    }

    private void createParents(Path shardDir) throws IOException {
        if (Files.isDirectory(shardDir)) {
            return;
        }
        Files.createDirectories(shardDir);
        for (Path dir = shardDir; !dir.equals(parts); dir = dir.getParent()) {
            fsyncs.fsyncAll(List.of(), List.of(dir.getParent()));
        }
    }

    private GroupCommit shardDir(Path dir) {
        return shardDirs.computeIfAbsent(dir, d -> GroupCommit.ofDirectory(d, fsyncWait));
    }

    /** fsyncs this store issued itself: shard directories (shared by group commit) and the log (likewise). */
    long fsyncs() {
        long dirs = 0;
        for (GroupCommit g : shardDirs.values()) {
            dirs += g.flushes();
        }
        return dirs + log.fsyncs();
    }

    int appliedCount(PartKey key) {
        return log.count(key);
    }

    Set<PartKey> appliedParts() {
        return log.parts();
    }

    long totalApplied() {
        return log.total();
    }

    @Override
    public void close() throws IOException {
        log.close();
    }
}
