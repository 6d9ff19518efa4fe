package dev.handoff.producer;

import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.PartTypeEntry;
import dev.handoff.protocol.common.Durable;
import dev.handoff.protocol.common.Fsyncs;
import dev.handoff.protocol.common.PartLocks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The part store: the in-memory index of every complete bundle's manifest, manifest writes and crash-safe
 * deletes, in front of {@link BundlePlan} (what to link), {@link BundleLinker} (linking) and
 * {@link StoreRecovery} (start-up repair). Thread-safe for different parts; callers serialize changes to one
 * part (see {@link PartLocks}).
 */
final class BundleStore {
    private final StoreLayout layout;
    private final BundleLinker linker;
    private final ConcurrentHashMap<PartKey, Manifest> stored = new ConcurrentHashMap<>();

    /** A store that fsyncs one file after the other on the caller's thread. */
    BundleStore(StoreLayout layout, ProducerMetrics metrics) {
        this(layout, metrics, Fsyncs.serial());
    }

    /**
     * A store that fsyncs a bundle's linked files and directories together through {@code fsyncs} (not owned):
     * concurrent fsyncs share journal commits, so a 10-file bundle costs about one fsync latency, not 12.
     */
    BundleStore(StoreLayout layout, ProducerMetrics metrics, Fsyncs fsyncs) {
        this.layout = layout;
        this.linker = new BundleLinker(layout, metrics, fsyncs);
    }

    StoreLayout layout() {
        return layout;
    }

    /** See {@link BundlePlan#of}. */
    BundlePlan plan(Bundle bundle) throws StoreIoException {
        return BundlePlan.of(bundle, layout);
    }

    /** See {@link BundleLinker#link}. */
    List<PartTypeEntry> link(BundlePlan plan) throws IOException {
        return linker.link(plan);
    }

    /** Writes the manifest atomically and durably, then makes the bundle visible (Fetch, recovery). */
    void writeManifest(Manifest manifest) throws IOException {
        try {
            Durable.writeAtomically(layout.manifest(manifest.part()), manifest.toJson());
        } catch (IOException e) {
            throw BundleLinker.explainNoSpace(layout, e);
        }
        stored.put(manifest.part(), manifest);
    }

    Optional<Manifest> get(PartKey part) {
        return Optional.ofNullable(stored.get(part));
    }

    Collection<Manifest> all() {
        return List.copyOf(stored.values());
    }

    /**
     * Deletes a bundle crash-safely: it disappears from memory (Fetch answers NOT_FOUND), its directory
     * is renamed to {@code <partId>.deleting} (so it is never served or recovered half-deleted), then removed.
     */
    void delete(PartKey part) throws IOException {
        stored.remove(part);
        deleteFiles(layout, part);
    }

    /** The crash-safe deletion of a bundle's directory (rename to {@code .deleting}, fsync, delete), index apart. */
    static void deleteFiles(StoreLayout layout, PartKey part) throws IOException {
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
    void discardIncomplete(PartKey part) throws IOException {
        if (!stored.containsKey(part)) {
            Durable.deleteTree(layout.bundleDir(part));
        }
    }

    /** Repairs the store ({@link StoreRecovery}) and loads every complete bundle into the index; returns them. */
    List<Manifest> recover() throws IOException {
        return recover(Durable::fsyncDirectory);
    }

    /** {@link #recover()}, fsyncing the parents of the directories it creates through {@code sync}. */
    List<Manifest> recover(Durable.DirectorySync sync) throws IOException {
        List<Manifest> loaded = new StoreRecovery(layout).recover(sync);
        loaded.forEach(m -> stored.put(m.part(), m));
        return loaded;
    }
}
