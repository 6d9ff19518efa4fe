package dev.handoff.producer;

import static dev.handoff.producer.GcFixture.LIAISON;
import static dev.handoff.producer.GcFixture.committed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.common.Fsyncs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Garbage collection against a MockConsumer: it survives failures of its own Kafka client and keeps collecting. */
class ReleaseCollectorTest {
    private static final String NODE = "dn-1:9420";

    @TempDir
    Path tmp;

    @Test
    void shouldSurviveAFailedPollAndStillDeleteAReleasedBundle() throws Exception {
        // Given a stored bundle whose only target is about to complete it
        GcFixture gc = new GcFixture(tmp.resolve("store"), tmp);
        BundleStore store = gc.store();
        PartKey part = new PartKey(LIAISON, "g", 1, 42L);
        gc.storeBundle(store, part, 100, NODE);
        MockConsumer<String, byte[]> consumer = gc.consumer();
        try (ReleaseCollector collector = gc.collector(store, consumer)) {
            collector.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> !consumer.assignment().isEmpty());

            // When its Kafka client fails once (a broker hiccup) before the completion and the release arrive
            consumer.setPollException(new KafkaException("broker hiccup"));
            consumer.schedulePollTask(() -> {
                consumer.addRecord(gc.completion(0, NODE, part));
                consumer.addRecord(gc.release(0, part));
            });

            // Then collection goes on: the bundle is deleted, the failure counted, and the collector is still running
            await().atMost(Duration.ofSeconds(10)).until(() -> store.get(part).isEmpty());
            assertThat(gc.registry.get("handoff.producer.gc.failures").counter().count()).isGreaterThanOrEqualTo(1.0);
            assertThat(collector.isRunning()).isTrue();
        }
        assertThat(consumer.closed()).isTrue();
    }

    @Test
    void shouldStopAndSayWhyWhenItsPrincipalMayNotReadTheReleases() throws Exception {
        // Given a collector whose consumer is refused by the broker's ACLs
        GcFixture gc = new GcFixture(tmp.resolve("store"), tmp);
        MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");
        consumer.setPollException(new TopicAuthorizationException("not authorized"));
        try (ReleaseCollector collector = gc.collector(gc.store(), consumer)) {
            // When it runs
            collector.start();

            // Then it stops for good with one line naming the cause, instead of retrying forever
            await().atMost(Duration.ofSeconds(10)).until(() -> collector.failure() != null);
            assertThat(collector.failure()).startsWith("producer garbage collection stopped: TopicAuthorizationException");
            await().atMost(Duration.ofSeconds(10)).until(() -> !collector.isRunning());
        }
    }

    @Test
    void shouldFoldAPollsChangesOfEachBundleAndShareTheFsyncsOfItsRewritesAndDeletes() throws Exception {
        // Given 10 stored bundles (one shard) in a store that fsyncs through a counted pool
        GcFixture gc = new GcFixture(tmp.resolve("store"), tmp);
        try (Fsyncs fsyncs = Fsyncs.parallel(4, "test-fsync")) {
            BundleStore store = gc.store(fsyncs);
            List<PartKey> parts = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                PartKey part = new PartKey(LIAISON, "g", 1, 100L + i);
                gc.storeBundle(store, part, 100, NODE);
                parts.add(part);
            }
            MockConsumer<String, byte[]> consumer = gc.consumer();
            try (ReleaseCollector collector = gc.collector(store, consumer)) {
                collector.start();
                await().atMost(Duration.ofSeconds(5)).until(() -> !consumer.assignment().isEmpty());

                // When the first 5 are completed in one poll (no release yet)
                long before = fsyncs.issued();
                consumer.schedulePollTask(() -> {
                    for (int i = 0; i < 5; i++) {
                        consumer.addRecord(gc.completion(i, NODE, parts.get(i)));
                    }
                });
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(committed(consumer, gc.completions))
                    .isEqualTo(5));
                // Then their 5 manifests were rewritten as one batch: 5 temp files and 5 directories fsynced together
                assertThat(fsyncs.issued() - before).isEqualTo(10);
                assertThat(gc.store().recover())
                    .filteredOn(m -> parts.subList(0, 5).contains(m.part()))
                    .allSatisfy(m -> assertThat(m.completed()).containsExactly(NODE)).hasSize(5);

                // When all 10 are released, and the last 5 completed, in one poll
                long mid = fsyncs.issued();
                consumer.schedulePollTask(() -> {
                    for (int i = 5; i < 10; i++) {
                        consumer.addRecord(gc.completion(i, NODE, parts.get(i)));
                    }
                    for (int i = 0; i < 10; i++) {
                        consumer.addRecord(gc.release(i, parts.get(i)));
                    }
                });

                // Then all 10 are deleted with no manifest rewrite, their one shard directory fsynced twice in all,
                // and only then are the offsets committed
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(committed(consumer, gc.released))
                    .isEqualTo(10));
                assertThat(committed(consumer, gc.completions)).isEqualTo(10);
                assertThat(parts).allSatisfy(p -> {
                    assertThat(store.get(p)).isEmpty();
                    assertThat(store.layout().bundleDir(p)).doesNotExist();
                });
                assertThat(fsyncs.issued() - mid).isEqualTo(2);
            }
        }
    }
}
