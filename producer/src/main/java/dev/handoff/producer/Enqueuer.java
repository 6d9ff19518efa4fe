package dev.handoff.producer;

import dev.handoff.protocol.InvalidFieldException;
import dev.handoff.protocol.NodeAddress;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.common.PartLocks;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The enqueue path: link once, write the manifest, publish one record per unpublished target, then
 * mark them published (in the index at once, on disk by {@link PublishedMarks}). Also republishes what a
 * crash left unpublished (at start-up) and what a failed publish left unpublished (while running,
 * {@link #republishFailed}). Thread-safe: changes to one part are serialized by {@link PartLocks};
 * different parts run in parallel.
 */
final class Enqueuer {
    private static final Logger LOGGER = LoggerFactory.getLogger(Enqueuer.class);

    /** Test seams at the two crash windows of an enqueue. */
    interface Hooks {
        Hooks NONE = new Hooks() { };

        /** Runs after the manifest is durable and before any record is sent. */
        default void beforePublish(PartKey part) {
        }

        /** Runs after Kafka acknowledged the records and before the manifest says they are published. */
        default void afterAcknowledged(PartKey part) {
        }
    }

    private final BundleStore store;
    private final StoreSpace space;
    private final PartLocks locks;
    private final RecordPublisher publisher;
    private final EnqueueRecords records;
    private final Consumer<String> watch;
    private final Clock clock;
    private final Hooks hooks;
    private final PublishedMarks marks;
    /** Parts whose last publish failed: stored, with targets not marked published. */
    private final Set<PartKey> unpublished = ConcurrentHashMap.newKeySet();

    Enqueuer(BundleStore store, StoreSpace space, PartLocks locks, RecordPublisher publisher, EnqueueRecords records,
             Consumer<String> watch, Clock clock, Hooks hooks, PublishedMarks marks) {
        this.store = store;
        this.space = space;
        this.locks = locks;
        this.publisher = publisher;
        this.records = records;
        this.watch = watch;
        this.clock = clock;
        this.hooks = hooks;
        this.marks = marks;
    }

    /**
     * How long an enqueue spent in its two phases: storing (from holding the part's lock until the bundle and its
     * manifest are durable) and publishing (until Kafka acknowledged every record). Measured with
     * {@link System#nanoTime}: for the metrics only, no decision depends on it.
     */
    record Phases(Duration store, Duration publish) {
    }

    Phases enqueue(Bundle bundle, Collection<String> nodes) throws StoreFullException, StoreIoException, PublishException {
        List<String> targets = validNodes(nodes);
        PartKey part = bundle.part();
        ReentrantLock lock = locks.of(part);
        lock.lock();
        try {
            long start = System.nanoTime();
            Manifest m = store.get(part).isPresent() ? addTargets(store.get(part).get(), targets) : storeNew(bundle, targets);
            long stored = System.nanoTime();
            targets.forEach(watch);
            hooks.beforePublish(part);
            long publishing = System.nanoTime();
            publishPending(m);
            return new Phases(Duration.ofNanos(stored - start), Duration.ofNanos(System.nanoTime() - publishing));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Publishes every stored bundle with a target not marked published (crash repair at start-up).
     * A bundle that fails to publish is left to {@link #republishFailed}; returns how many were published.
     */
    int republishAll() throws StoreIoException {
        int count = 0;
        for (Manifest m : store.all()) {
            try {
                count += republish(m.part(), "publishing records a crash left unpublished") ? 1 : 0;
            } catch (PublishException e) {
                LOGGER.atWarn().addKeyValue("part", m.part()).addKeyValue("error", e.getMessage())
                    .log("could not publish records a crash left unpublished; retrying in the background");
            }
        }
        return count;
    }

    /**
     * Publishes again the bundles whose publish failed while this producer ran. Stops at the first that
     * fails again (Kafka is still not acknowledging); the rest wait for the next round.
     *
     * @return how many bundles were published
     */
    int republishFailed() throws PublishException, StoreIoException {
        int count = 0;
        for (PartKey part : List.copyOf(unpublished)) {
            count += republish(part, "republishing records whose publish failed") ? 1 : 0;
        }
        return count;
    }

    /** How many stored bundles wait for a republish. */
    int unpublishedCount() {
        return unpublished.size();
    }

    private boolean republish(PartKey part, String why) throws PublishException, StoreIoException {
        ReentrantLock lock = locks.of(part);
        lock.lock();
        try {
            Manifest current = store.get(part).orElse(null);
            if (current == null || current.unpublished().isEmpty()) {
                unpublished.remove(part);
                return false;
            }
            LOGGER.atInfo().addKeyValue("part", part).addKeyValue("nodes", current.unpublished()).log(why);
            publishPending(current);
            return true;
        } finally {
            lock.unlock();
        }
    }

    private Manifest addTargets(Manifest existing, List<String> nodes) throws StoreFullException, StoreIoException {
        Manifest m = existing.withTargetsAdded(nodes, clock.millis());
        if (m != existing) {
            publisher.requireFits(records.largest(m.part(), m.types(), m.targetNodes()));
            List<String> added = new ArrayList<>(m.targetNodes());
            added.removeAll(existing.targetNodes());
            space.reserve(0, added, m.bytes());
            try {
                store.writeManifest(m);
            } catch (IOException e) {
                space.freeNodes(added, m.bytes());
                throw new StoreIoException("cannot add targets to " + existing.part(), e);
            }
            LOGGER.atInfo().addKeyValue("part", m.part()).addKeyValue("nodes", nodes)
                .log("bundle already stored; adding only the missing nodes");
        }
        return m;
    }

    private Manifest storeNew(Bundle bundle, List<String> nodes) throws StoreFullException, StoreIoException {
        PartKey part = bundle.part();
        BundlePlan plan = store.plan(bundle);
        publisher.requireFits(records.largest(part, plan.plannedTypes(), nodes));
        space.reserve(plan.bytes(), nodes, plan.bytes());
        boolean stored = false;
        try {
            long now = clock.millis();
            List<Manifest.Target> targets = nodes.stream().map(n -> new Manifest.Target(n, now, false)).toList();
            Manifest m = store.storeNew(plan, types -> {
                Manifest fresh = Manifest.fresh(part, types, targets);
                if (fresh.bytes() != plan.bytes()) {
                    throw new IOException("files changed while being enqueued: " + plan.bytes() + " bytes listed, "
                        + fresh.bytes() + " linked");
                }
                return fresh;
            });
            stored = true;
            LOGGER.atInfo().addKeyValue("part", part).addKeyValue("bytes", m.bytes()).addKeyValue("nodes", nodes)
                .log("bundle stored");
            return m;
        } catch (IOException e) {
            throw new StoreIoException("cannot store " + part, e);
        } finally {
            if (!stored) {
                space.free(plan.bytes());
                space.freeNodes(nodes, plan.bytes());
                discard(part);
            }
        }
    }

    private void publishPending(Manifest m) throws PublishException, StoreIoException {
        List<String> pending = m.unpublished();
        if (pending.isEmpty()) {
            return;
        }
        try {
            publisher.publish(records.unpublished(m));
        } catch (PublishException e) {
            unpublished.add(m.part());
            throw e;
        }
        unpublished.remove(m.part());
        hooks.afterAcknowledged(m.part());
        // The bundle is durable and Kafka has its records: the enqueue succeeded. The mark only spares a republish
        // at the next start, so it is written off this path (and a failure to write it fails nothing).
        marks.mark(m.withPublished(new HashSet<>(pending)));
        LOGGER.atInfo().addKeyValue("part", m.part()).addKeyValue("nodes", pending).log("enqueue records acknowledged");
    }

    private void discard(PartKey part) {
        try {
            store.discardIncomplete(part);
        } catch (IOException e) {
            LOGGER.atWarn().addKeyValue("part", part).addKeyValue("error", e.toString())
                .log("could not remove a failed enqueue; it is removed at the next start");
        }
    }

    private static List<String> validNodes(Collection<String> nodes) {
        if (nodes == null || nodes.isEmpty()) {
            throw new InvalidFieldException("nodes", nodes == null ? null : "[]", "at least one node host:port");
        }
        Set<String> unique = new LinkedHashSet<>();
        for (String n : nodes) {
            unique.add(NodeAddress.require("nodes", n));
        }
        return List.copyOf(unique);
    }
}
