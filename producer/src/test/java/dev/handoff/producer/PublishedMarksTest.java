package dev.handoff.producer;

import static dev.handoff.producer.Fixtures.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.common.PartLocks;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The published marks written off the enqueue's path: what reaches the disk, and what never goes back. */
class PublishedMarksTest {
    private static final String NODE = "node-1:17912";

    @TempDir
    Path tmp;

    private final ProducerMetrics metrics = new MicrometerProducerMetrics(new SimpleMeterRegistry());
    private final PartLocks locks = new PartLocks(4);

    @Test
    void shouldPutTheMarkInTheIndexAtOnceAndOnDiskByTheNextRound() throws Exception {
        // Given a stored bundle whose target was not published, whose record is now acknowledged and marked
        Marked marked = storedAndMarked(7L);
        PublishedMarks marks = marked.marks();

        // Then the index says published at once, the disk only after the round
        assertThat(marked.store().get(marked.part())).hasValueSatisfying(m -> assertThat(m.unpublished()).isEmpty());
        assertThat(onDisk()).singleElement().satisfies(m -> assertThat(m.unpublished()).containsExactly(NODE));
        assertThat(marks.waiting()).isEqualTo(1);
        marks.start();
        marks.close();
        assertThat(onDisk()).singleElement().satisfies(m -> assertThat(m.unpublished()).isEmpty());
        assertThat(marks.waiting()).isZero();
    }

    @Test
    void shouldWriteThePartsCurrentManifestAndLeaveABusyPartToTheNextRound() throws Exception {
        // Given a marked part whose lock another thread holds (an enqueue adding a target, say)
        Marked marked = storedAndMarked(8L);
        BundleStore store = marked.store();
        PartKey part = marked.part();
        PublishedMarks marks = marked.marks();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            ReentrantLock lock = locks.of(part);
            lock.lock();
            try {
                held.countDown();
                release.await(30, TimeUnit.SECONDS);
                // ... which changes the manifest meanwhile: a completion arrives
                store.writeManifest(store.get(part).orElseThrow().withCompleted(NODE));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } finally {
                lock.unlock();
            }
        });
        holder.start();
        assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();

        // When a round runs while the lock is held
        boolean done = marks.writeRound(List.of(part));

        // Then the part waits for the next round, and the disk is unchanged
        assertThat(done).isFalse();
        assertThat(marks.waiting()).isEqualTo(1);
        assertThat(onDisk()).singleElement().satisfies(m -> assertThat(m.unpublished()).containsExactly(NODE));

        // When the holder's change lands and the next round runs
        release.countDown();
        holder.join(30_000);
        assertThat(marks.writeRound(List.of(part))).isTrue();

        // Then the disk has the newest manifest: published and completed, not the mark's older copy
        assertThat(onDisk()).singleElement().satisfies(m -> {
            assertThat(m.unpublished()).isEmpty();
            assertThat(m.completed()).containsExactly(NODE);
        });
    }

    @Test
    void shouldNotBringBackABundleDeletedBeforeItsRound() throws Exception {
        // Given a marked part that garbage collection deletes before the round
        Marked marked = storedAndMarked(9L);
        marked.store().delete(marked.part());

        // When the round runs
        assertThat(marked.marks().writeRound(List.of(marked.part()))).isTrue();

        // Then nothing of the bundle is on disk again
        assertThat(Files.exists(marked.store().layout().bundleDir(marked.part()))).isFalse();
        assertThat(onDisk()).isEmpty();
    }

    private BundleStore store() {
        return new BundleStore(new StoreLayout(tmp.resolve("store"), "l1"), metrics);
    }

    private List<Manifest> onDisk() throws Exception {
        return store().recover();
    }

    /** A bundle stored with its target unpublished, then marked published (not yet written) by a new writer. */
    private record Marked(BundleStore store, PartKey part, PublishedMarks marks) {
    }

    private Marked storedAndMarked(long partId) throws Exception {
        BundleStore store = store();
        PartKey part = new PartKey("l1", "g", 1, partId);
        Bundle bundle = Bundle.of(part, new Bundle.Type("core", Fixtures.typeDir(tmp.resolve("src-" + partId),
            "core", Map.of("primary.bin", bytes(100, (int) partId))), Map.of()));
        Manifest unpublished = store.storeNew(store.plan(bundle),
            types -> Manifest.fresh(part, types, List.of(new Manifest.Target(NODE, 1_000, false))));
        PublishedMarks marks = new PublishedMarks(store, locks);
        marks.mark(unpublished.withPublished(Set.of(NODE)));
        return new Marked(store, part, marks);
    }
}
