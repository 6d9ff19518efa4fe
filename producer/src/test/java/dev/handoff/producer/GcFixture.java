package dev.handoff.producer;

import static dev.handoff.producer.Fixtures.bytes;

import dev.handoff.protocol.Completion;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.Release;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.common.Fsyncs;
import dev.handoff.protocol.common.KafkaSettings;
import dev.handoff.protocol.common.PartLocks;
import dev.handoff.protocol.json.Codecs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The setup of the garbage-collection tests against a MockConsumer: settings for one liaison, its store, the
 * released and completions partitions, and the records that arrive on them.
 */
final class GcFixture {
    static final String LIAISON = "l1";

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final ProducerMetrics metrics = new MicrometerProducerMetrics(registry);
    final ProducerSettings settings;
    final Topics topics;
    final TopicPartition released;
    final TopicPartition completions;
    private final Path sources;

    /** Settings whose store is {@code storeDir}; bundles are written from part directories under {@code sources}. */
    GcFixture(Path storeDir, Path sources) {
        this.settings = ProducerSettings.builder(storeDir, LIAISON, KafkaSettings.of("localhost:9092")).build();
        this.topics = settings.topics();
        this.released = new TopicPartition(topics.released(), 0);
        this.completions = new TopicPartition(topics.completions(), 0);
        this.sources = sources;
    }

    /** A store on the settings' directory, as a start (or a restart) opens it. */
    BundleStore store() {
        return new BundleStore(layout(), metrics);
    }

    BundleStore store(Fsyncs fsyncs) {
        return new BundleStore(layout(), metrics, fsyncs);
    }

    /** A MockConsumer assigned the released and completions partitions at its first poll. */
    MockConsumer<String, byte[]> consumer() {
        return Fixtures.gcConsumer(released, completions);
    }

    ReleaseCollector collector(BundleStore store, MockConsumer<String, byte[]> consumer) {
        return new ReleaseCollector(settings, store, new StoreSpace(1 << 30), new PartLocks(4), metrics, consumer);
    }

    /** Stores a one-file bundle of {@code size} bytes whose records for {@code nodes} are published. */
    void storeBundle(BundleStore store, PartKey part, int size, String... nodes) throws Exception {
        Path src = sources.resolve("src-" + part.partId());
        Bundle bundle = Bundle.of(part, new Bundle.Type("core", Fixtures.typeDir(src, "core",
            Map.of("primary.bin", bytes(size, (int) part.partId()))), Map.of()));
        store.storeNew(store.plan(bundle), types -> Manifest.fresh(part, types,
            Arrays.stream(nodes).map(n -> new Manifest.Target(n, 1_000, true)).toList()));
    }

    /** {@code node}'s DELIVERED completion of {@code part}, at {@code offset} of the completions partition. */
    ConsumerRecord<String, byte[]> completion(long offset, String node, PartKey part) {
        return new ConsumerRecord<>(completions.topic(), 0, offset, node, Codecs.COMPLETION.encode(
            new Completion(node, part, Completion.Outcome.DELIVERED, "r1", 1, topics.node(node), 0, offset, 1_000)));
    }

    /** The topology's release of {@code part}, at {@code offset} of the released partition. */
    ConsumerRecord<String, byte[]> release(long offset, PartKey part) {
        return new ConsumerRecord<>(released.topic(), 0, offset, LIAISON, Codecs.RELEASE.encode(new Release(LIAISON, part)));
    }

    /** The offset the collector committed on {@code tp}, -1 for none. */
    static long committed(MockConsumer<String, byte[]> consumer, TopicPartition tp) {
        OffsetAndMetadata o = consumer.committed(Set.of(tp)).get(tp);
        return o == null ? -1 : o.offset();
    }

    private StoreLayout layout() {
        return new StoreLayout(settings.storeDir(), LIAISON);
    }
}
