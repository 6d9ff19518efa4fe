package dev.handoff.producer;

import static dev.handoff.producer.GcFixture.LIAISON;
import static dev.handoff.producer.GcFixture.committed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handoff.protocol.PartKey;
import dev.handoff.testkit.Tmpfs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Garbage collection on a store whose own file system is full (a real ENOSPC on a tmpfs; needs root, as CI has):
 * a release state that cannot be rewritten must not stop collection, since deleting is what frees space.
 */
class ReleaseCollectorDiskFullTest {
    private static final String A = "dn-a:9420";
    private static final String B = "dn-b:9420";

    @TempDir
    Path tmp;

    @Test
    void shouldDeleteABundleItsRecordsMadeDeletableWhileTheDiskIsFullAndSaveTheRestOnceSpaceReturns() throws Exception {
        try (Tmpfs fs = Tmpfs.mount(tmp.resolve("store-fs"), 512 * 1024)) {
            // Given two stored bundles for nodes A and B, copied onto a store file system that is then full
            GcFixture gc = new GcFixture(fs.dir().resolve("store"), tmp);
            BundleStore store = gc.store();
            PartKey p1 = new PartKey(LIAISON, "g", 1, 1L);
            PartKey p2 = new PartKey(LIAISON, "g", 1, 2L);
            gc.storeBundle(store, p1, 8_192, A, B);
            gc.storeBundle(store, p2, 8_192, A, B);
            fs.fill("filler", 0);
            MockConsumer<String, byte[]> consumer = gc.consumer();
            try (ReleaseCollector collector = gc.collector(store, consumer)) {
                collector.start();
                await().atMost(Duration.ofSeconds(5)).until(() -> !consumer.assignment().isEmpty());

                // When A completes both bundles (each needs a manifest rewrite the full disk refuses), then, in a later
                // poll (a poll's changes of one bundle are folded into one, so they must come apart to need a
                // rewrite at all), B completes the first one and the topology releases it
                consumer.schedulePollTask(() -> {
                    consumer.addRecord(gc.completion(0, A, p1));
                    consumer.addRecord(gc.completion(1, A, p2));
                });
                consumer.schedulePollTask(() -> {
                    consumer.addRecord(gc.completion(2, B, p1));
                    consumer.addRecord(gc.release(0, p1));
                });

                // Then the first bundle is deleted although the disk is full, which frees the space that lets the
                // second bundle's kept change be written; only then is the completions offset committed past it
                // (the index forgets a bundle before its directory is removed, so both are awaited)
                await().atMost(Duration.ofSeconds(10)).until(() -> store.get(p1).isEmpty()
                    && !Files.exists(store.layout().bundleDir(p1)));
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(committed(consumer, gc.completions))
                    .isEqualTo(3));
                assertThat(committed(consumer, gc.released)).isEqualTo(1);
                assertThat(collector.isRunning()).isTrue();
                assertThat(gc.registry.get("handoff.producer.gc.failures").counter().count()).isGreaterThanOrEqualTo(1.0);
            }
            // And what is on disk (read by a new store, as after a restart) has A's completion of the second bundle
            List<Manifest> onDisk = gc.store().recover();
            assertThat(onDisk).singleElement().satisfies(m -> {
                assertThat(m.part()).isEqualTo(p2);
                assertThat(m.completed()).containsExactly(A);
            });
        }
    }
}
