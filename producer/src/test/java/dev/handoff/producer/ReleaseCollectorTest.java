package dev.handoff.producer;

import dev.handoff.protocol.common.PartLocks;
import static dev.handoff.producer.Fixtures.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handoff.protocol.Completion;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.PartTypeEntry;
import dev.handoff.protocol.Release;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.common.Fsyncs;
import dev.handoff.protocol.common.KafkaSettings;
import dev.handoff.protocol.json.Codecs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Garbage collection against a MockConsumer: it survives failures of its own Kafka client and keeps collecting. */
class ReleaseCollectorTest {
    private static final String NODE = "dn-1:9420";
    private static final String LIAISON = "l1";

    @TempDir
    Path tmp;

    @Test
    void shouldSurviveAFailedPollAndStillDeleteAReleasedBundle() throws Exception {
        // Given a stored bundle whose only target is about to complete it
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ProducerMetrics metrics = new MicrometerProducerMetrics(registry);
        ProducerSettings settings = ProducerSettings.builder(tmp.resolve("store"), LIAISON, KafkaSettings.of("localhost:9092"))
            .build();
        BundleStore store = new BundleStore(new StoreLayout(settings.storeDir(), LIAISON), metrics);
        PartKey part = new PartKey(LIAISON, "g", 1, 42L);
        store(store, part);
        StoreSpace space = new StoreSpace(1 << 30);
        Topics topics = settings.topics();
        TopicPartition released = new TopicPartition(topics.released(), 0);
        TopicPartition completions = new TopicPartition(topics.completions(), 0);
        MockConsumer<String, byte[]> consumer = Fixtures.gcConsumer(released, completions);
        try (ReleaseCollector collector = new ReleaseCollector(settings, store, space, new PartLocks(4), metrics, consumer)) {
            collector.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> !consumer.assignment().isEmpty());

            // When its Kafka client fails once (a broker hiccup) before the completion and the release arrive
            consumer.setPollException(new KafkaException("broker hiccup"));
            consumer.schedulePollTask(() -> {
                consumer.addRecord(new ConsumerRecord<>(completions.topic(), 0, 0, NODE, Codecs.COMPLETION.encode(
                    new Completion(NODE, part, Completion.Outcome.DELIVERED, "r1", 1, topics.node(NODE), 0, 0, 1_000))));
                consumer.addRecord(new ConsumerRecord<>(released.topic(), 0, 0, LIAISON,
                    Codecs.RELEASE.encode(new Release(LIAISON, part))));
            });

            // Then collection goes on: the bundle is deleted, the failure counted, and the collector is still running
            await().atMost(Duration.ofSeconds(10)).until(() -> store.get(part).isEmpty());
            assertThat(registry.get("handoff.producer.gc.failures").counter().count()).isGreaterThanOrEqualTo(1.0);
            assertThat(collector.isRunning()).isTrue();
        }
        assertThat(consumer.closed()).isTrue();
    }

    private void store(BundleStore store, PartKey part) throws Exception {
        Path src = tmp.resolve("src");
        Bundle bundle = Bundle.of(part, new Bundle.Type("core", Fixtures.typeDir(src, "core",
            Map.of("primary.bin", bytes(100, 1))), Map.of()));
        List<PartTypeEntry> types = store.link(store.plan(bundle));
        store.writeManifest(Manifest.fresh(part, types, List.of(new Manifest.Target(NODE, 1_000, true))));
    }

    @Test
    void shouldStopAndSayWhyWhenItsPrincipalMayNotReadTheReleases() throws Exception {
        // Given a collector whose consumer is refused by the broker's ACLs
        ProducerSettings settings = ProducerSettings.builder(tmp.resolve("store"), LIAISON, KafkaSettings.of("localhost:9092"))
            .build();
        ProducerMetrics metrics = new MicrometerProducerMetrics(new SimpleMeterRegistry());
        BundleStore store = new BundleStore(new StoreLayout(settings.storeDir(), LIAISON), metrics);
        MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");
        consumer.setPollException(new org.apache.kafka.common.errors.TopicAuthorizationException("not authorized"));
        try (ReleaseCollector collector = new ReleaseCollector(settings, store, new StoreSpace(1 << 20), new PartLocks(4),
            metrics, consumer)) {
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
        ProducerMetrics metrics = new MicrometerProducerMetrics(new SimpleMeterRegistry());
        ProducerSettings settings = ProducerSettings.builder(tmp.resolve("store"), LIAISON, KafkaSettings.of("localhost:9092"))
            .build();
        try (Fsyncs fsyncs = Fsyncs.parallel(4, "test-fsync")) {
            BundleStore store = new BundleStore(new StoreLayout(settings.storeDir(), LIAISON), metrics, fsyncs);
            List<PartKey> parts = new java.util.ArrayList<>();
            for (int i = 0; i < 10; i++) {
                PartKey part = new PartKey(LIAISON, "g", 1, 100L + i);
                store(store, part);
                parts.add(part);
            }
            Topics topics = settings.topics();
            TopicPartition released = new TopicPartition(topics.released(), 0);
            TopicPartition completions = new TopicPartition(topics.completions(), 0);
            MockConsumer<String, byte[]> consumer = Fixtures.gcConsumer(released, completions);
            try (ReleaseCollector collector = new ReleaseCollector(settings, store, new StoreSpace(1 << 30),
                new PartLocks(4), metrics, consumer)) {
                collector.start();
                await().atMost(Duration.ofSeconds(5)).until(() -> !consumer.assignment().isEmpty());

                // When the first 5 are completed in one poll (no release yet)
                long before = fsyncs.issued();
                consumer.schedulePollTask(() -> {
                    for (int i = 0; i < 5; i++) {
                        consumer.addRecord(completion(topics, completions, i, parts.get(i)));
                    }
                });
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(committed(consumer, completions))
                    .isEqualTo(5));
                // Then their 5 manifests were rewritten as one batch: 5 temp files and 5 directories fsynced together
                assertThat(fsyncs.issued() - before).isEqualTo(10);
                assertThat(new BundleStore(new StoreLayout(settings.storeDir(), LIAISON), metrics).recover())
                    .filteredOn(m -> parts.subList(0, 5).contains(m.part()))
                    .allSatisfy(m -> assertThat(m.completed()).containsExactly(NODE)).hasSize(5);

                // When all 10 are released, and the last 5 completed, in one poll
                long mid = fsyncs.issued();
                consumer.schedulePollTask(() -> {
                    for (int i = 5; i < 10; i++) {
                        consumer.addRecord(completion(topics, completions, i, parts.get(i)));
                    }
                    for (int i = 0; i < 10; i++) {
                        consumer.addRecord(new ConsumerRecord<>(released.topic(), 0, i, LIAISON,
                            Codecs.RELEASE.encode(new Release(LIAISON, parts.get(i)))));
                    }
                });

                // Then all 10 are deleted with no manifest rewrite, their one shard directory fsynced twice in all,
                // and only then are the offsets committed
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(committed(consumer, released))
                    .isEqualTo(10));
                assertThat(committed(consumer, completions)).isEqualTo(10);
                assertThat(parts).allSatisfy(p -> {
                    assertThat(store.get(p)).isEmpty();
                    assertThat(store.layout().bundleDir(p)).doesNotExist();
                });
                assertThat(fsyncs.issued() - mid).isEqualTo(2);
            }
        }
    }

    private static ConsumerRecord<String, byte[]> completion(Topics topics, TopicPartition tp, long offset, PartKey part) {
        return new ConsumerRecord<>(tp.topic(), 0, offset, NODE, Codecs.COMPLETION.encode(
            new Completion(NODE, part, Completion.Outcome.DELIVERED, "r1", 1, topics.node(NODE), 0, 0, 1_000)));
    }

    private static long committed(MockConsumer<String, byte[]> consumer, TopicPartition tp) {
        var c = consumer.committed(java.util.Set.of(tp)).get(tp);
        return c == null ? -1 : c.offset();
    }
}
