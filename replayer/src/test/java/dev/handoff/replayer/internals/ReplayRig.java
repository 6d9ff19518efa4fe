package dev.handoff.replayer.internals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.datanode.DataNode;
import dev.handoff.datanode.DataNodeSettings;
import dev.handoff.protocol.Completion;
import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.PartKey;
import dev.handoff.testkit.FakePartStore;
import dev.handoff.testkit.KafkaClusterExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * What a replayer IT starts from: the Kafka side ({@link KafkaFixture}: topics, group, records) and a part store the
 * records' bundles are fetched from, both closed by {@link #close()}.
 */
final class ReplayRig implements AutoCloseable {
    final KafkaFixture kafka;
    final FakePartStore store;

    ReplayRig(KafkaClusterExtension cluster, Path tmp) throws Exception {
        this.kafka = new KafkaFixture(cluster.bootstrapServers());
        try {
            this.store = new FakePartStore(Files.createDirectories(tmp.resolve("store")));
        } catch (Exception | Error e) {
            kafka.close();
            throw e;
        }
    }

    /** A started reference data node in {@code dir} on a free localhost port whose every session waits {@code latency}. */
    static DataNode dataNode(Path dir, Duration latency) throws Exception {
        return new DataNode(DataNodeSettings.builder(dir).listen("localhost", 0).testLatencyPerSession(latency).build())
            .start();
    }

    /**
     * Writes bundles {@code from} to {@code to - 1} for {@code node} ({@link Bundles#write}, enqueued at 1000), bundle
     * {@code i} named {@code key.apply(i)}, and enqueues bundle {@code i} on partition {@code i % partitions}.
     * Returns their records in that order.
     */
    List<EnqueueRecord> enqueueBundles(String node, int from, int to, int partitions, IntFunction<PartKey> key)
        throws Exception {
        List<EnqueueRecord> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            EnqueueRecord r = Bundles.write(store, node, key.apply(i), 1000);
            kafka.enqueue(r, i % partitions);
            out.add(r);
        }
        return out;
    }

    /** Asserts that {@code node} applied each bundle of {@code records} exactly once, intact. */
    static void assertAppliedOnceIntact(DataNode node, List<EnqueueRecord> records) throws Exception {
        for (EnqueueRecord r : records) {
            assertThat(node.appliedCount(r.part())).as("applied count of %s", r.part()).isEqualTo(1);
            assertThat(node.verify(r.part(), r.types())).isEmpty();
        }
    }

    /** Asserts that {@code completions} hold exactly one completion for each bundle of {@code records}, and no other. */
    static void assertOneCompletionEach(List<Completion> completions, List<EnqueueRecord> records) {
        Map<PartKey, Long> perPart = completions.stream().collect(Collectors.groupingBy(Completion::part, Collectors.counting()));
        assertThat(perPart).allSatisfy((part, n) -> assertThat(n).as("completions of %s", part).isEqualTo(1));
        assertThat(perPart.keySet()).isEqualTo(records.stream().map(EnqueueRecord::part).collect(Collectors.toSet()));
    }

    @Override
    public void close() {
        store.close();
        kafka.close();
    }
}
