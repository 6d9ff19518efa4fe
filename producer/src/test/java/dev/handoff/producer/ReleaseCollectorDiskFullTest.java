package dev.handoff.producer;

import static dev.handoff.producer.Fixtures.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handoff.protocol.Completion;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.PartTypeEntry;
import dev.handoff.protocol.Release;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.common.KafkaSettings;
import dev.handoff.protocol.common.PartLocks;
import dev.handoff.protocol.json.Codecs;
import dev.handoff.testkit.Tmpfs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Garbage collection on a store whose own file system is full (a real ENOSPC on a tmpfs; needs root, as CI has):
 * a release state that cannot be rewritten must not stop collection, since deleting is what frees space.
 */
class ReleaseCollectorDiskFullTest {
    private static final String A = "dn-a:9420";
    private static final String B = "dn-b:9420";
    private static final String LIAISON = "l1";

    @TempDir
    Path tmp;

    @Test
    void shouldDeleteABundleItsRecordsMadeDeletableWhileTheDiskIsFullAndSaveTheRestOnceSpaceReturns() throws Exception {
        try (Tmpfs fs = Tmpfs.mount(tmp.resolve("store-fs"), 512 * 1024)) {
            // Given two stored bundles for nodes A and B, copied onto a store file system that is then full
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            ProducerMetrics metrics = new MicrometerProducerMetrics(registry);
            ProducerSettings settings = ProducerSettings.builder(fs.dir().resolve("store"), LIAISON,
                KafkaSettings.of("localhost:9092")).build();
            BundleStore store = new BundleStore(new StoreLayout(settings.storeDir(), LIAISON), metrics);
            PartKey p1 = new PartKey(LIAISON, "g", 1, 1L);
            PartKey p2 = new PartKey(LIAISON, "g", 1, 2L);
            store(store, p1);
            store(store, p2);
            fs.fill("filler", 0);
            Topics topics = settings.topics();
            TopicPartition released = new TopicPartition(topics.released(), 0);
            TopicPartition completions = new TopicPartition(topics.completions(), 0);
            MockConsumer<String, byte[]> consumer = Fixtures.gcConsumer(released, completions);
            try (ReleaseCollector collector = new ReleaseCollector(settings, store, new StoreSpace(1 << 30),
                new PartLocks(4), metrics, consumer)) {
                collector.start();
                await().atMost(Duration.ofSeconds(5)).until(() -> !consumer.assignment().isEmpty());

                // When A completes both bundles (each needs a manifest rewrite the full disk refuses), then, in a later
                // poll (a poll's changes of one bundle are folded into one, so they must come apart to need a
                // rewrite at all), B completes the first one and the topology releases it
                consumer.schedulePollTask(() -> {
                    consumer.addRecord(completion(topics, completions, 0, A, p1));
                    consumer.addRecord(completion(topics, completions, 1, A, p2));
                });
                consumer.schedulePollTask(() -> {
                    consumer.addRecord(completion(topics, completions, 2, B, p1));
                    consumer.addRecord(new ConsumerRecord<>(released.topic(), 0, 0, LIAISON,
                        Codecs.RELEASE.encode(new Release(LIAISON, p1))));
                });

                // Then the first bundle is deleted although the disk is full, which frees the space that lets the
                // second bundle's kept change be written; only then is the completions offset committed past it
                // (the index forgets a bundle before its directory is removed, so both are awaited)
                await().atMost(Duration.ofSeconds(10)).until(() -> store.get(p1).isEmpty()
                    && !Files.exists(store.layout().bundleDir(p1)));
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(committed(consumer, completions))
                    .isEqualTo(3));
                assertThat(committed(consumer, released)).isEqualTo(1);
                assertThat(collector.isRunning()).isTrue();
                assertThat(registry.get("handoff.producer.gc.failures").counter().count()).isGreaterThanOrEqualTo(1.0);
            }
            // And what is on disk (read by a new store, as after a restart) has A's completion of the second bundle
            List<Manifest> onDisk = new BundleStore(new StoreLayout(settings.storeDir(), LIAISON), metrics).recover();
            assertThat(onDisk).singleElement().satisfies(m -> {
                assertThat(m.part()).isEqualTo(p2);
                assertThat(m.completed()).containsExactly(A);
            });
        }
    }

    private static ConsumerRecord<String, byte[]> completion(Topics topics, TopicPartition tp, long offset, String node,
                                                             PartKey part) {
        return new ConsumerRecord<>(tp.topic(), 0, offset, node, Codecs.COMPLETION.encode(
            new Completion(node, part, Completion.Outcome.DELIVERED, "r1", 1, topics.node(node), 0, offset, 1_000)));
    }

    private static long committed(MockConsumer<String, byte[]> consumer, TopicPartition tp) {
        OffsetAndMetadata o = consumer.committed(Set.of(tp)).get(tp);
        return o == null ? -1 : o.offset();
    }

    private void store(BundleStore store, PartKey part) throws Exception {
        Path src = tmp.resolve("src-" + part.partId());
        Bundle bundle = Bundle.of(part, new Bundle.Type("core", Fixtures.typeDir(src, "core",
            Map.of("primary.bin", bytes(8_192, (int) part.partId()))), Map.of()));
        List<PartTypeEntry> types = store.link(store.plan(bundle));
        store.writeManifest(Manifest.fresh(part, types, List.of(new Manifest.Target(A, 1_000, true),
            new Manifest.Target(B, 1_000, true))));
    }
}
