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
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
    private final Fsyncs fsyncs;
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
        this.fsyncs = fsyncs;
        this.linker = new BundleLinker(layout, metrics);
    }

    StoreLayout layout() {
        return layout;
    }

    /** See {@link BundlePlan#of}. */
    BundlePlan plan(Bundle bundle) throws StoreIoException {
        return BundlePlan.of(bundle, layout);
    }

    /** The manifest of a bundle just linked, from the types as stored. */
    interface Describer {
        Manifest describe(List<PartTypeEntry> types) throws IOException;
    }

    /**
     * Stores a new bundle durably with its first manifest and makes it visible (Fetch, recovery), in two rounds
     * of fsyncs: the linked files, the manifest's temp file, the bundle's directories and the parents of the levels
     * it created (for the bundle's own name) together; then, after the manifest's rename, the bundle directory alone
     * (for the manifest's name). Power loss: recovery loads a bundle only through its manifest, whose
     * name appears only after everything it describes is durable; before the second round ends the enqueue has not
     * returned, and whatever is left is an incomplete bundle that recovery removes.
     */
    Manifest storeNew(BundlePlan plan, Describer describer) throws IOException {
        try {
            BundleLinker.Linked linked = linker.link(plan);
            Manifest manifest = describer.describe(linked.types());
            Path target = layout.manifest(manifest.part());
            Path temp = Durable.writeTemp(target, manifest.toJson());
            List<Path> files = new ArrayList<>(linked.files());
            files.add(temp);
            List<Path> dirs = new ArrayList<>(linked.dirs());
            dirs.addAll(linked.parents());
            fsyncs.fsyncAll(files, dirs);
            Durable.replace(temp, target);
            fsyncs.fsyncAll(List.of(), List.of(target.getParent()));
            stored.put(manifest.part(), manifest);
            return manifest;
        } catch (IOException e) {
            throw BundleLinker.explainNoSpace(layout, e);
        }
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

    /**
     * Writes many manifests atomically and durably at once ({@link Durable#writeAllAtomically}: their temp files
     * fsynced together, their directories fsynced together). All or nothing as far as the index is concerned: on a
     * failure none is put in memory and the caller writes them one by one ({@link #writeManifest}) to learn which.
     */
    void writeManifests(List<Manifest> manifests) throws IOException {
        Map<Path, byte[]> contents = new LinkedHashMap<>();
        for (Manifest m : manifests) {
            contents.put(layout.manifest(m.part()), m.toJson());
        }
        try {
            Durable.writeAllAtomically(contents, fsyncs);
        } catch (IOException e) {
            throw BundleLinker.explainNoSpace(layout, e);
        }
        manifests.forEach(m -> stored.put(m.part(), m));
    }

    /**
     * Puts a changed manifest into the index without writing it; {@link PublishedMarks} writes it later. Only for
     * a change that may be lost in a crash (the published marks). Caller holds the part's lock.
     */
    void index(Manifest manifest) {
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
        deleteAll(List.of(part));
    }

    /**
     * {@link #delete} for many bundles, sharing the directory fsyncs (see {@link #deleteFiles(StoreLayout, Fsyncs,
     * List)}). On a failure the caller deletes them one by one ({@link #delete} is idempotent).
     */
    void deleteAll(List<PartKey> parts) throws IOException {
        parts.forEach(stored::remove);
        deleteFiles(layout, fsyncs, parts);
    }

    /** The crash-safe deletion of one bundle's directory, with no store index to update ({@code store check}). */
    static void deleteFiles(StoreLayout layout, PartKey part) throws IOException {
        deleteFiles(layout, Fsyncs.serial(), List.of(part));
    }

    /**
     * Deletes bundle directories crash-safely: every directory is renamed to its {@code .deleting} name (so it is
     * never served or recovered half-deleted), the distinct parents are fsynced once (together), the trees are
     * removed, and the parents fsynced once more.
     */
    private static void deleteFiles(StoreLayout layout, Fsyncs fsyncs, List<PartKey> parts) throws IOException {
        Set<Path> parents = new LinkedHashSet<>();
        List<Path> trash = new ArrayList<>();
        for (PartKey part : parts) {
            Path dir = layout.bundleDir(part);
            Path deleting = layout.deleting(part);
            if (Files.exists(deleting, LinkOption.NOFOLLOW_LINKS)) {
                Durable.deleteTree(deleting);
            }
            if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.move(dir, deleting, StandardCopyOption.ATOMIC_MOVE);
                parents.add(dir.getParent());
                trash.add(deleting);
            }
        }
        if (trash.isEmpty()) {
            return;
        }
        fsyncs.fsyncAll(List.of(), List.copyOf(parents));
        for (Path t : trash) {
            Durable.deleteTree(t);
        }
        fsyncs.fsyncAll(List.of(), List.copyOf(parents));
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
