package dev.handoff.protocol.common;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** File-system helpers every role shares: fsync of files and directories, write-then-rename, delete-tree. */
public final class Durable {
    private Durable() {
    }

    /** fsyncs one directory: {@link Durable#fsyncDirectory} in production; tests record the calls. */
    @FunctionalInterface
    public interface DirectorySync {
        void fsync(Path dir) throws IOException;
    }

    public static void fsync(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** fsyncs a directory so the names created in it survive a crash (a no-op where the OS refuses). */
    public static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            if (!System.getProperty("os.name", "").toLowerCase().contains("win")) {
                throw e;
            }
        }
    }

    /** {@link #createDirectories(Path, DirectorySync)} with {@link #fsyncDirectory}. */
    public static void createDirectories(Path dir) throws IOException {
        createDirectories(dir, Durable::fsyncDirectory);
    }

    /**
     * Creates {@code dir} and its missing parents, then fsyncs the parent of every level it created, top
     * down. A new directory's name lives in its parent, and is durable only once that parent is fsynced:
     * without it a power loss soon after the creation can take the directory, and everything fsynced
     * inside it since, away. Levels that already existed are not fsynced again.
     */
    public static void createDirectories(Path dir, DirectorySync sync) throws IOException {
        Path absolute = dir.toAbsolutePath();
        List<Path> created = new ArrayList<>();
        for (Path p = absolute; p != null && !Files.exists(p, LinkOption.NOFOLLOW_LINKS); p = p.getParent()) {
            created.add(0, p);
        }
        Files.createDirectories(absolute);
        for (Path p : created) {
            sync.fsync(p.getParent());
        }
    }

    /** Writes bytes to {@code target} atomically: temp file, fsync, rename, fsync the directory. */
    public static void writeAtomically(Path target, byte[] content) throws IOException {
        Path tmp = write(tempOf(target), content, true);
        replace(tmp, target);
        fsyncDirectory(target.getParent());
    }

    /**
     * The first half of a write-then-rename: writes {@code content} to {@code target}'s temp sibling
     * ({@code <name>.tmp}, truncated if it exists) and returns it, not yet fsynced. The caller fsyncs it (alone, or
     * together with other files), then {@link #replace}s the target with it.
     */
    public static Path writeTemp(Path target, byte[] content) throws IOException {
        return write(tempOf(target), content, false);
    }

    private static Path tempOf(Path target) {
        return target.resolveSibling(target.getFileName() + ".tmp");
    }

    /** Writes {@code content} to {@code file} (created or truncated), fsynced before it is closed when {@code force}. */
    private static Path write(Path file, byte[] content, boolean force) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            if (force) {
                ch.force(true);
            }
        }
        return file;
    }

    /**
     * The second half: renames a fsynced temp file over {@code target} in one atomic step (a plain move where the
     * file system has no atomic one). The new name is durable once the caller fsyncs {@code target}'s directory.
     */
    public static void replace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * {@link #writeAtomically} for many files at once, sharing the waits: every temp file is written, then all are
     * fsynced together through {@code fsyncs}, renamed over their targets, and their distinct directories fsynced
     * together. When it returns every target holds its new bytes durably; when it throws, each target holds either
     * its old or its new bytes (each rename is atomic), and which ones are durable is unknown: the caller must not
     * count any of them as written (it may write them again one by one).
     */
    public static void writeAllAtomically(Map<Path, byte[]> contents, Fsyncs fsyncs) throws IOException {
        List<Path> temps = new ArrayList<>(contents.size());
        for (Map.Entry<Path, byte[]> e : contents.entrySet()) {
            temps.add(writeTemp(e.getKey(), e.getValue()));
        }
        fsyncs.fsyncAll(temps, List.of());
        Set<Path> dirs = new LinkedHashSet<>();
        int i = 0;
        for (Path target : contents.keySet()) {
            replace(temps.get(i++), target);
            dirs.add(target.getParent());
        }
        fsyncs.fsyncAll(List.of(), List.copyOf(dirs));
    }

    /**
     * Deletes a directory tree, children first, without following symbolic links (a link is deleted, never what
     * it points to). A missing root, or an entry that vanishes during the walk (another thread's delete, a
     * temporary file renamed away), is not a failure; anything else that cannot be deleted is thrown.
     */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new VanishingEntriesVisitor() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            protected void leaveDirectory(Path dir) throws IOException {
                Files.deleteIfExists(dir);
            }
        });
    }
}
