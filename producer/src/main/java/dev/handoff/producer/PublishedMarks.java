package dev.handoff.producer;

import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.common.LoopThread;
import dev.handoff.protocol.common.PartLocks;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes "published" into the manifests of acknowledged enqueues, off the enqueue's path. Once Kafka
 * acknowledged a bundle's records the enqueue has succeeded: the bundle and its manifest are durable and Kafka has
 * the records. The mark only spares a republish at the next start (docs/PRODUCER.md, step 6), so the enqueue
 * returns as soon as the index says published, and this thread makes it durable: every acknowledged part since its
 * last round, their manifests written together ({@link BundleStore#writeManifests}, shared fsyncs).
 *
 * <p>Power loss before a round lands leaves the manifest unpublished, which the next start republishes: a duplicate
 * record, answered DUPLICATE by the receiver, as after a crash between the acknowledgement and the old synchronous
 * rewrite. Each manifest is written from the index as it is at the round, under the part's lock, so a later change
 * (targets added, a completion, a delete) is never overwritten by an older one; a part whose lock is busy waits for
 * the next round. Thread-safe.
 */
final class PublishedMarks implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(PublishedMarks.class);
    /** How long a round waits for the first mark; a closing writer notices within this time. */
    private static final long IDLE_WAIT_MILLIS = 200;
    /** The pause before a part whose lock was busy is tried again. */
    private static final long BUSY_WAIT_MILLIS = 10;
    /** How long {@link #close} waits for the last round (docs/PRODUCER.md). */
    static final long CLOSE_WAIT_MILLIS = 30_000;

    private final BundleStore store;
    private final PartLocks locks;
    private final Set<PartKey> dirty = new LinkedHashSet<>();
    private final LoopThread loop;
    /** Parts of the round being written now (taken out of {@link #dirty}, not yet on disk). */
    private int writing;
    private boolean closed;

    PublishedMarks(BundleStore store, PartLocks locks) {
        this.store = store;
        this.locks = locks;
        this.loop = new LoopThread("handoff-producer-marks", this::run);
    }

    void start() {
        loop.start();
    }

    /** Marks {@code manifest} (published targets) in the index now and on disk at the next round. Caller holds its lock. */
    void mark(Manifest manifest) {
        store.index(manifest);
        synchronized (this) {
            dirty.add(manifest.part());
            notifyAll();
        }
    }

    /** Parts whose mark is in the index but not yet on disk (the gauge {@code handoff.enqueue.marks.waiting}). */
    synchronized int waiting() {
        return dirty.size() + writing;
    }

    private void run() {
        boolean busy = false;
        while (true) {
            List<PartKey> round;
            synchronized (this) {
                // Idle: wait for a mark (or the close). After a round that left busy parts: a short pause, so a
                // lock held for long is not spun on (a new mark or the close ends it early).
                if (busy || (dirty.isEmpty() && !closed)) {
                    try {
                        wait(busy ? BUSY_WAIT_MILLIS : IDLE_WAIT_MILLIS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (dirty.isEmpty()) {
                    if (closed) {
                        return;
                    }
                    busy = false;
                    continue;
                }
                round = new ArrayList<>(dirty);
                dirty.clear();
                writing = round.size();
            }
            busy = !writeRound(round);
            synchronized (this) {
                writing = 0;
            }
        }
    }

    /**
     * Writes the current manifest of every part of the round whose lock is free; the others go to the next round.
     * Returns false if any did.
     */
    boolean writeRound(List<PartKey> parts) {
        List<ReentrantLock> held = new ArrayList<>();
        List<Manifest> manifests = new ArrayList<>();
        List<PartKey> busy = new ArrayList<>();
        try {
            for (PartKey part : parts) {
                ReentrantLock lock = locks.of(part);
                if (!lock.tryLock()) {
                    busy.add(part);
                    continue;
                }
                held.add(lock);
                store.get(part).ifPresent(manifests::add);
            }
            write(manifests);
        } finally {
            held.forEach(ReentrantLock::unlock);
        }
        if (busy.isEmpty()) {
            return true;
        }
        synchronized (this) {
            // Back to waiting, no longer being written: counted once by waiting()
            dirty.addAll(busy);
            writing = Math.max(0, writing - busy.size());
        }
        return false;
    }

    private void write(List<Manifest> manifests) {
        if (manifests.isEmpty()) {
            return;
        }
        try {
            store.writeManifests(manifests);
        } catch (IOException e) {
            // The bundles are durable and Kafka has their records: only the note that spares a republish at the
            // next start is missing (a full disk does this). The next start publishes them again; the receivers
            // answer DUPLICATE.
            LOGGER.atWarn().addKeyValue("bundles", manifests.size()).addKeyValue("error", e.toString())
                .log("records acknowledged, but the manifests could not be marked published; the next start republishes them");
        }
    }

    /** Writes what is waiting (one last round), then stops. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        loop.join(Duration.ofMillis(CLOSE_WAIT_MILLIS));
    }
}
