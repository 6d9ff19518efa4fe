package dev.handoff.producer;

import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.common.PartLocks;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies release and completion changes to stored manifests for garbage collection: deletes a bundle once a
 * change makes it deletable, else rewrites its manifest. Changes come in batches (one poll of the collector):
 * every change of one bundle in a batch is folded into one manifest, so a completion and the release that
 * follows it cost one delete and no rewrite; the batch's rewrites share their fsyncs (temp files together, then
 * directories together), and so do its deletes (each parent directory fsynced once). A batch returns only once
 * everything it reports done is durable, so the collector commits offsets after it (an acknowledged release is
 * never lost); a batched write or delete that fails is retried bundle by bundle to learn which ones failed.
 *
 * <p>A change whose rewrite failed (a full disk: a rewrite needs a new page) is kept in memory and applied on top
 * of the stored manifest by every later change of that bundle, so a change that makes the bundle deletable still
 * deletes it, which is what frees space. Confined to the collector's thread; a batch holds the locks of its
 * bundles' stripes against the enqueue path while it writes (so an enqueue of one of them waits for the batch).
 */
final class ManifestChanges {
    private static final Logger LOGGER = LoggerFactory.getLogger(ManifestChanges.class);

    /** One record's change of one bundle; {@code change} null: only save the kept changes. */
    record Change(PartKey part, UnaryOperator<Manifest> change, String why) {
        Change {
            Objects.requireNonNull(part, "part");
        }
    }

    /** What a batch did with a bundle's changes. */
    enum Outcome {
        /** Durable: recorded in the manifest, or the bundle deleted (or already gone). */
        DONE,
        /** The rewrite failed; the changes are kept in memory (see the class comment). */
        KEPT,
        /** The delete failed; its records must be applied again. */
        FAILED
    }

    private final BundleStore store;
    private final StoreSpace space;
    private final PartLocks locks;
    /** Changes applied but not yet on disk, per bundle, in order. */
    private final Map<PartKey, List<UnaryOperator<Manifest>>> unsaved = new HashMap<>();

    ManifestChanges(BundleStore store, StoreSpace space, PartLocks locks) {
        this.store = store;
        this.space = space;
        this.locks = locks;
    }

    /** True when every change applied so far is on disk (or its bundle deleted). */
    boolean allSaved() {
        return unsaved.isEmpty();
    }

    /** Writes the changes kept in memory, as far as the disk lets it. */
    void saveUnsaved() {
        List<Change> saves = new ArrayList<>();
        unsaved.keySet().forEach(part -> saves.add(new Change(part, null, "kept change saved")));
        applyAll(saves).forEach((part, outcome) -> {
            if (outcome != Outcome.DONE) {
                LOGGER.atDebug().addKeyValue("part", part).log("kept change not saved yet");
            }
        });
    }

    /** One change alone: {@link #applyAll} of one. False when it is only kept in memory; a failed delete throws. */
    boolean apply(PartKey part, UnaryOperator<Manifest> change, String why) throws IOException {
        Outcome outcome = applyAll(List.of(new Change(part, change, why))).get(part);
        if (outcome == Outcome.FAILED) {
            throw new IOException("could not delete the released bundle " + part);
        }
        return outcome == Outcome.DONE;
    }

    /**
     * Applies a batch: for each bundle, its kept changes, then its changes of the batch in order, to its stored
     * manifest; then deletes the bundles that became deletable and rewrites the manifests that changed, each
     * group at once. Returns every bundle of the batch with its outcome.
     */
    Map<PartKey, Outcome> applyAll(List<Change> batch) {
        Map<PartKey, List<Change>> byPart = new LinkedHashMap<>();
        batch.forEach(c -> byPart.computeIfAbsent(c.part(), p -> new ArrayList<>()).add(c));
        List<ReentrantLock> held = lockAll(byPart.keySet());
        try {
            Map<PartKey, Outcome> out = new LinkedHashMap<>();
            Map<PartKey, Manifest> deletes = new LinkedHashMap<>();
            Map<PartKey, Manifest> rewrites = new LinkedHashMap<>();
            Map<PartKey, Manifest> befores = new HashMap<>();
            Map<PartKey, List<UnaryOperator<Manifest>>> pending = new HashMap<>();
            byPart.forEach((part, changes) -> {
                Manifest m = store.get(part).orElse(null);
                if (m == null) {
                    unsaved.remove(part);
                    out.put(part, Outcome.DONE);
                    return;
                }
                List<UnaryOperator<Manifest>> ops = new ArrayList<>(unsaved.getOrDefault(part, List.of()));
                changes.stream().map(Change::change).filter(Objects::nonNull).forEach(ops::add);
                Manifest next = m;
                for (UnaryOperator<Manifest> op : ops) {
                    next = op.apply(next);
                }
                if (next.deletable()) {
                    deletes.put(part, m);
                } else if (!next.equals(m)) {
                    rewrites.put(part, next);
                    befores.put(part, m);
                    pending.put(part, ops);
                } else {
                    unsaved.remove(part);
                    out.put(part, Outcome.DONE);
                }
            });
            delete(deletes, byPart, out);
            rewrite(rewrites, befores, pending, byPart, out);
            return out;
        } finally {
            for (int i = held.size() - 1; i >= 0; i--) {
                held.get(i).unlock();
            }
        }
    }

    /** The distinct stripe locks of {@code parts}, taken; only this thread ever holds more than one. */
    private List<ReentrantLock> lockAll(Iterable<PartKey> parts) {
        Map<ReentrantLock, Boolean> distinct = new IdentityHashMap<>();
        List<ReentrantLock> held = new ArrayList<>();
        for (PartKey part : parts) {
            ReentrantLock lock = locks.of(part);
            if (distinct.put(lock, Boolean.TRUE) == null) {
                lock.lock();
                held.add(lock);
            }
        }
        return held;
    }

    private void delete(Map<PartKey, Manifest> deletes, Map<PartKey, List<Change>> byPart, Map<PartKey, Outcome> out) {
        batchThenEach(deletes, "batched delete failed; deleting one by one",
            all -> store.deleteAll(List.copyOf(all.keySet())), entry -> store.delete(entry.getKey()),
            (part, m) -> deleted(part, m, byPart, out),
            (part, failure) -> {
                LOGGER.atWarn().addKeyValue("part", part).addKeyValue("error", failure.toString())
                    .log("could not delete a released bundle; retrying");
                out.put(part, Outcome.FAILED);
            });
    }

    private void deleted(PartKey part, Manifest m, Map<PartKey, List<Change>> byPart, Map<PartKey, Outcome> out) {
        unsaved.remove(part);
        space.free(m.bytes());
        space.freeNodes(m.pendingNodes(), m.bytes());
        out.put(part, Outcome.DONE);
        LOGGER.atInfo().addKeyValue("part", part).addKeyValue("bytes", m.bytes()).addKeyValue("why", why(byPart, part))
            .log("bundle released by every target; deleted");
    }

    private void rewrite(Map<PartKey, Manifest> rewrites, Map<PartKey, Manifest> befores,
                         Map<PartKey, List<UnaryOperator<Manifest>>> pending, Map<PartKey, List<Change>> byPart,
                         Map<PartKey, Outcome> out) {
        batchThenEach(rewrites, "batched manifest rewrite failed; writing one by one",
            all -> store.writeManifests(List.copyOf(all.values())), entry -> store.writeManifest(entry.getValue()),
            (part, next) -> recorded(befores.get(part), next, byPart, out),
            (part, failure) -> {
                unsaved.put(part, pending.get(part));
                out.put(part, Outcome.KEPT);
                LOGGER.atWarn().addKeyValue("part", part).addKeyValue("why", why(byPart, part))
                    .addKeyValue("error", failure.toString()).log("could not record a release state; kept in memory, collection goes on");
            });
    }

    /** A store write: of all the entries, or of one. */
    @FunctionalInterface
    private interface StoreWrite<T> {
        void apply(T t) throws IOException;
    }

    /**
     * Writes every entry in one batch (one fsync pass); if the batch fails, entry by entry, so that one bundle
     * the store cannot write holds no other back. {@code done} or {@code failed} is told about each entry.
     */
    private static <V> void batchThenEach(Map<PartKey, V> entries, String batchFailed,
                                          StoreWrite<Map<PartKey, V>> batch, StoreWrite<Map.Entry<PartKey, V>> one,
                                          BiConsumer<PartKey, V> done, BiConsumer<PartKey, IOException> failed) {
        if (entries.isEmpty()) {
            return;
        }
        try {
            batch.apply(entries);
            entries.forEach(done);
            return;
        } catch (IOException e) {
            LOGGER.atDebug().addKeyValue("bundles", entries.size()).addKeyValue("error", e.toString()).log(batchFailed);
        }
        for (Map.Entry<PartKey, V> entry : entries.entrySet()) {
            try {
                one.apply(entry);
            } catch (IOException e) {
                failed.accept(entry.getKey(), e);
                continue;
            }
            done.accept(entry.getKey(), entry.getValue());
        }
    }

    private void recorded(Manifest before, Manifest next, Map<PartKey, List<Change>> byPart, Map<PartKey, Outcome> out) {
        PartKey part = next.part();
        unsaved.remove(part);
        // The index moves only on a durable change, so a node's share of the quota is given back exactly once.
        List<String> done = new ArrayList<>(before.pendingNodes());
        done.removeAll(next.pendingNodes());
        space.freeNodes(done, next.bytes());
        // A retarget's stand-in takes over the replaced node's share (unchecked: the bundle is stored already).
        List<String> taken = new ArrayList<>(next.pendingNodes());
        taken.removeAll(before.pendingNodes());
        space.accountNodes(taken, next.bytes());
        out.put(part, Outcome.DONE);
        LOGGER.atDebug().addKeyValue("part", part).addKeyValue("why", why(byPart, part)).log("release state recorded");
    }

    private static String why(Map<PartKey, List<Change>> byPart, PartKey part) {
        return String.join(", ", byPart.get(part).stream().map(Change::why).toList());
    }
}
