package dev.handoff.protocol.common;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;

/**
 * A file-tree walk over a tree that others change meanwhile: an entry that vanishes during the walk (a concurrent
 * delete, a temporary file renamed away) is skipped, any other failure is thrown. Subclasses see files in
 * {@link #visitFile} and each directory once its entries are done in {@link #leaveDirectory}.
 */
public abstract class VanishingEntriesVisitor extends SimpleFileVisitor<Path> {

    @Override
    public final FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        if (e instanceof NoSuchFileException) {
            return FileVisitResult.CONTINUE;
        }
        throw e;
    }

    @Override
    public final FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        if (e != null && !(e instanceof NoSuchFileException)) {
            throw e;
        }
        leaveDirectory(dir);
        return FileVisitResult.CONTINUE;
    }

    /** Called for each directory after its entries; by default nothing. */
    protected void leaveDirectory(Path dir) throws IOException {
    }
}
