package dev.handoff.producer;

import dev.handoff.protocol.FileEntry;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.PartTypeEntry;
import dev.handoff.protocol.common.Checksums;
import dev.handoff.protocol.common.Durable;
import dev.handoff.protocol.common.NoSpace;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a planned bundle's files into the store: one hard link per file (a copy across file systems), measured
 * (size, CRC32C) as linked. Making them durable is the caller's ({@link BundleStore#storeNew}). Thread-safe for
 * different parts.
 */
final class BundleLinker {
    private static final Logger LOGGER = LoggerFactory.getLogger(BundleLinker.class);

    private final StoreLayout layout;
    private final ProducerMetrics metrics;

    BundleLinker(StoreLayout layout, ProducerMetrics metrics) {
        this.layout = layout;
        this.metrics = metrics;
    }

    /**
     * What {@link #link} put into the store and has not made durable yet: the files, the directories whose
     * contents changed (type directories and the bundle directory) and the directories whose new entries are the
     * bundle's own levels ({@code parents}: the bundle directory's parent, and above it any level it created).
     */
    record Linked(List<PartTypeEntry> types, List<Path> files, List<Path> dirs, List<Path> parents) {
    }

    /**
     * Links every planned file into a new, empty bundle directory and returns the types as stored, with size and
     * CRC32C. Nothing is fsynced: the caller makes {@link Linked} durable together with the manifest
     * ({@link BundleStore#storeNew}), so that one bundle costs two rounds of fsyncs, not four.
     */
    Linked link(BundlePlan plan) throws IOException {
        try {
            return linkFiles(plan);
        } catch (IOException e) {
            throw explainNoSpace(layout, e);
        }
    }

    private Linked linkFiles(BundlePlan plan) throws IOException {
        PartKey part = plan.bundle().part();
        Path bundleDir = layout.bundleDir(part);
        List<Path> parents = createEmpty(bundleDir);
        List<Path> linked = new ArrayList<>();
        List<Path> dirs = new ArrayList<>();
        List<PartTypeEntry> entries = new ArrayList<>();
        for (BundlePlan.SourceType st : plan.types()) {
            String type = st.type().type();
            Path typeDir = layout.typeDir(part, type);
            Files.createDirectory(typeDir);
            dirs.add(typeDir);
            List<FileEntry> files = new ArrayList<>();
            for (Path source : st.files()) {
                Path target = layout.file(part, type, source.getFileName().toString());
                linkOrCopy(part, source, target);
                linked.add(target);
                files.add(new FileEntry(target.getFileName().toString(), Files.size(target), Checksums.crc32c(target)));
            }
            entries.add(new PartTypeEntry(type, files, st.type().meta()));
        }
        dirs.add(bundleDir);
        return new Linked(entries, linked, dirs, parents);
    }

    /**
     * A full file system says only "No space left on device"; the operator needs to know that it is the disk,
     * not the configured limit, and which one: the store dir and what it has left.
     */
    static IOException explainNoSpace(StoreLayout layout, IOException e) {
        if (!NoSpace.isNoSpace(e)) {
            return e;
        }
        String usable;
        try {
            usable = Files.getFileStore(layout.root()).getUsableSpace() + " bytes usable";
        } catch (IOException unknown) {
            usable = "usable bytes unknown: " + unknown.getMessage();
        }
        return new IOException("disk full: no space left on device in the store dir " + layout.root() + " (" + usable
            + "; the disk filled before --store-max-bytes/--store-max-percent was reached)", e);
    }

    private void linkOrCopy(PartKey part, Path source, Path target) throws IOException {
        try {
            Files.createLink(target, source);
        } catch (FileAlreadyExistsException | NoSuchFileException e) {
            throw e;
        } catch (FileSystemException e) {
            if (Files.getFileStore(source).equals(Files.getFileStore(target.getParent()))) {
                throw e;
            }
            LOGGER.atWarn().addKeyValue("part", part).addKeyValue("file", source.getFileName())
                .addKeyValue("reason", e.getReason())
                .log("cannot hard-link across file systems; copying (put the store on the liaison's file system)");
            metrics.copyFallback();
            Files.copy(source, target);
        }
    }

    /**
     * Creates the bundle directory (empty: leftovers were removed) and returns the parents of every level it
     * created, whose fsync makes the new levels durable (see {@link Durable#createDirectories(Path, Durable.DirectorySync)}).
     */
    private static List<Path> createEmpty(Path bundleDir) throws IOException {
        if (Files.exists(bundleDir, LinkOption.NOFOLLOW_LINKS)) {
            Durable.deleteTree(bundleDir);
        }
        List<Path> parents = new ArrayList<>();
        Durable.createDirectories(bundleDir, parents::add);
        return parents;
    }
}
