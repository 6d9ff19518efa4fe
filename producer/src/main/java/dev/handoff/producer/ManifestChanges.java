package dev.handoff.producer;

import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.common.PartLocks;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies release and completion changes to stored manifests for garbage collection: deletes a bundle once a
 * change makes it deletable, else rewrites its manifest. A change whose rewrite failed (a full disk: a rewrite
 * needs a new page) is kept in memory and applied on top of the stored manifest by every later change of that
 * bundle, so a change that makes the bundle deletable still deletes it, which is what frees space. Confined to
 * the collector's thread; each change holds the part's lock against the enqueue path.
 */
final class ManifestChanges {
    private static final Logger LOGGER = LoggerFactory.getLogger(ManifestChanges.class);

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
        for (PartKey part : List.copyOf(unsaved.keySet())) {
            try {
                apply(part, null, "kept change saved");
            } catch (IOException e) {
                LOGGER.atDebug().addKeyValue("part", part).addKeyValue("error", e.toString()).log("kept change not saved yet");
            }
        }
    }

    /**
     * Applies the bundle's kept changes, then {@code change} (null: none, only save the kept ones), to its stored
     * manifest. A failed rewrite keeps the change (returns false); a failed delete throws (the record is retried).
     */
    boolean apply(PartKey part, UnaryOperator<Manifest> change, String why) throws IOException {
        ReentrantLock lock = locks.of(part);
        lock.lock();
        try {
            Manifest m = store.get(part).orElse(null);
            if (m == null) {
                unsaved.remove(part);
                return true;
            }
            List<UnaryOperator<Manifest>> kept = unsaved.getOrDefault(part, List.of());
            Manifest next = m;
            for (UnaryOperator<Manifest> k : kept) {
                next = k.apply(next);
            }
            if (change != null) {
                next = change.apply(next);
            }
            if (next.deletable()) {
                store.delete(part);
                unsaved.remove(part);
                space.free(m.bytes());
                space.freeNodes(m.pendingNodes(), m.bytes());
                LOGGER.atInfo().addKeyValue("part", part).addKeyValue("bytes", m.bytes()).addKeyValue("why", why)
                    .log("bundle released by every target; deleted");
            } else if (!next.equals(m)) {
                return rewrite(next, kept, change, why);
            } else {
                unsaved.remove(part);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private boolean rewrite(Manifest next, List<UnaryOperator<Manifest>> kept, UnaryOperator<Manifest> change, String why) {
        PartKey part = next.part();
        Manifest before = store.get(part).orElse(null);
        try {
            store.writeManifest(next);
        } catch (IOException e) {
            List<UnaryOperator<Manifest>> more = new ArrayList<>(kept);
            if (change != null) {
                more.add(change);
            }
            unsaved.put(part, more);
            LOGGER.atWarn().addKeyValue("part", part).addKeyValue("why", why).addKeyValue("error", e.toString())
                .log("could not record a release state; kept in memory, collection goes on");
            return false;
        }
        unsaved.remove(part);
        if (before != null) {
            // The index moves only on a durable change, so a node's share is given back exactly once.
            List<String> done = new ArrayList<>(before.pendingNodes());
            done.removeAll(next.pendingNodes());
            space.freeNodes(done, next.bytes());
        }
        LOGGER.atDebug().addKeyValue("part", part).addKeyValue("why", why).log("release state recorded");
        return true;
    }
}
