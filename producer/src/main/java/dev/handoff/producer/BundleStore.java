package dev.handoff.producer;

import dev.handoff.protocol.FileEntry;
import dev.handoff.protocol.InvalidFieldException;
import dev.handoff.protocol.InvalidRecordException;
import dev.handoff.protocol.Names;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.PartTypeEntry;
import dev.handoff.protocol.common.Checksums;
import dev.handoff.protocol.common.Durable;
import dev.handoff.protocol.common.Fsyncs;
import dev.handoff.protocol.common.NoSpace;
import dev.handoff.protocol.common.PartLocks;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of the part store: links bundles in, writes manifests atomically, finds and deletes
 * bundles, and repairs what a crash left behind. Keeps every complete bundle's manifest in memory.
 * Thread-safe for different parts; callers serialize changes to one part (see {@link PartLocks}).
 */
public final class BundleStore {
    private static final Logger LOGGER = LoggerFactory.getLogger(BundleStore.class);

    private final StoreLayout layout;
    private final ProducerMetrics metrics;
    private final ConcurrentHashMap<PartKey, Manifest> stored = new ConcurrentHashMap<>();

    private final Fsyncs fsyncs;

    /** A store that fsyncs one file after the other on the caller's thread. */
    public BundleStore(StoreLayout layout, ProducerMetrics metrics) {
        this(layout, metrics, Fsyncs.serial());
    }

    /**
     * A store that fsyncs a bundle's linked files and directories together through {@code fsyncs} (not owned):
     * concurrent fsyncs share journal commits, so a 10-file bundle costs about one fsync latency, not 12.
     */
    public BundleStore(StoreLayout layout, ProducerMetrics metrics, Fsyncs fsyncs) {
        this.layout = layout;
        this.metrics = metrics;
        this.fsyncs = fsyncs;
    }

    /** The files of one source type directory, validated, before anything is written. */
    public record SourceType(Bundle.Type type, List<Path> files) {
    }

    /** What an enqueue will link: every source file, and their total size. */
    public record Plan(Bundle bundle, List<SourceType> types, long bytes) {
    }

    public StoreLayout layout() {
        return layout;
    }

    /** Lists and validates the bundle's files; refuses bad names naming the field, and anything not a plain file. */
    public Plan plan(Bundle bundle) throws StoreIoException {
        layout.bundleDir(bundle.part());
        List<SourceType> types = new ArrayList<>();
        long bytes = 0;
        for (Bundle.Type t : bundle.types()) {
            StoreLayout.requireTypeName(t.type());
            List<Path> files = new ArrayList<>();
            try (DirectoryStream<Path> dir = Files.newDirectoryStream(t.directory())) {
                for (Path f : dir) {
                    String name = f.getFileName().toString();
                    Names.requireName("files.name", name);
                    if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                        throw new InvalidFieldException("files.name", t.type() + "/" + name, "a part type is a flat directory of regular files");
                    }
                    files.add(f);
                    bytes += Files.size(f);
                }
            } catch (IOException e) {
                throw new StoreIoException("cannot list part type " + t.type() + " of " + bundle.part() + " in " + t.directory(), e);
            }
            if (files.isEmpty()) {
                throw new InvalidFieldException("types.files", t.type(), "a part type has at least one file");
            }
            files.sort(null);
            types.add(new SourceType(t, files));
        }
        return new Plan(bundle, types, bytes);
    }

    /**
     * Hard-links (or, across file systems, copies) every planned file into the bundle directory and
     * makes files and directories durable. Returns the types as stored, with size and CRC32C.
     */
    public List<PartTypeEntry> link(Plan plan) throws IOException {
        try {
            return linkFiles(plan);
        } catch (IOException e) {
            throw explainNoSpace(e);
        }
    }

    private List<PartTypeEntry> linkFiles(Plan plan) throws IOException {
        PartKey part = plan.bundle().part();
        Path bundleDir = layout.bundleDir(part);
        createDurably(bundleDir);
        List<Path> linked = new ArrayList<>();
        List<Path> dirs = new ArrayList<>();
        for (SourceType st : plan.types()) {
            Path typeDir = layout.typeDir(part, st.type().type());
            Files.createDirectory(typeDir);
            dirs.add(typeDir);
            for (Path source : st.files()) {
                Path target = layout.file(part, st.type().type(), source.getFileName().toString());
                linkOrCopy(part, source, target);
                linked.add(target);
            }
        }
        dirs.add(bundleDir);
        fsyncs.fsyncAll(linked, dirs);
        List<PartTypeEntry> entries = new ArrayList<>();
        for (SourceType st : plan.types()) {
            String type = st.type().type();
            List<FileEntry> files = new ArrayList<>();
            for (Path source : st.files()) {
                Path target = layout.file(part, type, source.getFileName().toString());
                files.add(new FileEntry(target.getFileName().toString(), Files.size(target), Checksums.crc32c(target)));
            }
            entries.add(new PartTypeEntry(type, files, st.type().meta()));
        }
        return entries;
    }

    /** Writes the manifest atomically and durably, then makes the bundle visible (Fetch, recovery). */
    public void writeManifest(Manifest manifest) throws IOException {
        try {
            Durable.writeAtomically(layout.manifest(manifest.part()), manifest.toJson());
        } catch (IOException e) {
            throw explainNoSpace(e);
        }
        stored.put(manifest.part(), manifest);
    }

    /**
     * A full file system says only "No space left on device"; the operator needs to know that it is the disk,
     * not the configured limit, and which one: the store dir and what it has left.
     */
    private IOException explainNoSpace(IOException e) {
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

    public Optional<Manifest> get(PartKey part) {
        return Optional.ofNullable(stored.get(part));
    }

    public Collection<Manifest> all() {
        return List.copyOf(stored.values());
    }

    /**
     * Deletes a bundle crash-safely: it disappears from memory (Fetch answers NOT_FOUND), its directory
     * is renamed to {@code <partId>.deleting} (so it is never served or recovered half-deleted), then removed.
     */
    public void delete(PartKey part) throws IOException {
        stored.remove(part);
        Path dir = layout.bundleDir(part);
        Path trash = layout.deleting(part);
        if (Files.exists(trash, LinkOption.NOFOLLOW_LINKS)) {
            Durable.deleteTree(trash);
        }
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.move(dir, trash, StandardCopyOption.ATOMIC_MOVE);
            Durable.fsyncDirectory(dir.getParent());
            Durable.deleteTree(trash);
            Durable.fsyncDirectory(dir.getParent());
        }
    }

    /** Removes what an enqueue left when it failed before its manifest was written. */
    public void discardIncomplete(PartKey part) throws IOException {
        if (!stored.containsKey(part)) {
            Durable.deleteTree(layout.bundleDir(part));
        }
    }

    /**
     * Start-up repair: finishes interrupted deletions, removes incomplete enqueues (no manifest: the
     * caller never got success) and loads every complete bundle. Returns the loaded manifests. At the
     * first start it creates the store root and {@code <liaison>/}, fsyncing the parent of each.
     */
    public List<Manifest> recover() throws IOException {
        return recover(Durable::fsyncDirectory);
    }

    /** {@link #recover()}, fsyncing the parents of the directories it creates through {@code sync}. */
    List<Manifest> recover(Durable.DirectorySync sync) throws IOException {
        Path liaisonDir = layout.liaisonDir();
        Durable.createDirectories(liaisonDir, sync);
        List<Manifest> loaded = new ArrayList<>();
        for (Path group : children(liaisonDir)) {
            if (!Names.isValid(group.getFileName().toString()) || !Files.isDirectory(group)) {
                continue;
            }
            for (Path shard : children(group)) {
                if (StoreLayout.isShardDir(shard.getFileName().toString())) {
                    recoverShard(shard, loaded);
                }
            }
        }
        return loaded;
    }

    private void recoverShard(Path shardDir, List<Manifest> loaded) throws IOException {
        for (Path dir : children(shardDir)) {
            String name = dir.getFileName().toString();
            if (StoreLayout.isDeletingDir(name)) {
                LOGGER.atInfo().addKeyValue("dir", dir).log("finishing a deletion interrupted by a crash");
                Durable.deleteTree(dir);
            } else if (StoreLayout.isPartDir(name)) {
                Optional<Manifest> m = readManifest(dir);
                if (m.isPresent()) {
                    stored.put(m.get().part(), m.get());
                    loaded.add(m.get());
                } else {
                    LOGGER.atWarn().addKeyValue("dir", dir).log("removing an enqueue that never completed (no manifest)");
                    Durable.deleteTree(dir);
                }
            }
        }
        Durable.fsyncDirectory(shardDir);
    }

    private Optional<Manifest> readManifest(Path bundleDir) throws IOException {
        Path file = bundleDir.resolve(StoreLayout.MANIFEST);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Manifest m;
        try {
            m = Manifest.fromJson(Files.readAllBytes(file));
        } catch (InvalidRecordException e) {
            throw new IOException("unreadable manifest " + file + ": " + e.getMessage(), e);
        }
        if (!layout.bundleDir(m.part()).equals(bundleDir.toAbsolutePath().normalize())) {
            throw new IOException("manifest " + file + " describes " + m.part() + ", which belongs elsewhere");
        }
        return Optional.of(m);
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

    /** Creates the bundle directory (empty: leftovers were removed) and fsyncs every new level. */
    private void createDurably(Path bundleDir) throws IOException {
        if (Files.exists(bundleDir, LinkOption.NOFOLLOW_LINKS)) {
            Durable.deleteTree(bundleDir);
        }
        Durable.createDirectories(bundleDir);
    }

    private static List<Path> children(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(out::add);
        }
        return out;
    }
}
