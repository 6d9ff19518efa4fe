package dev.handoff.producer;

import static dev.handoff.producer.Fixtures.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handoff.protocol.Completion;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.Release;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.common.KafkaSettings;
import dev.handoff.protocol.common.PartLocks;
import dev.handoff.protocol.json.Codecs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Garbage collection across a rebalance and a failed offset commit, against a MockConsumer: a bundle is deleted
 * (and its bytes freed) once, however often its records are delivered, and no offset is committed for a partition
 * this collector no longer owns.
 */
class ReleaseCollectorRebalanceTest {
    private static final String NODE = "dn-1:9420";
    private static final String LIAISON = "l1";

    @TempDir
    Path tmp;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ProducerMetrics metrics = new MicrometerProducerMetrics(registry);
    private final PartKey p1 = new PartKey(LIAISON, "g", 1, 1L);
    private final PartKey p2 = new PartKey(LIAISON, "g", 1, 2L);
    private ProducerSettings settings;
    private BundleStore store;
    private StoreSpace space;
    private TopicPartition released;
    private TopicPartition completions;
    private CommitRecordingConsumer consumer;

    @BeforeEach
    void storeTwoBundles() throws Exception {
        settings = ProducerSettings.builder(tmp.resolve("store"), LIAISON, KafkaSettings.of("localhost:9092")).build();
        store = new BundleStore(new StoreLayout(settings.storeDir(), LIAISON), metrics);
        space = new StoreSpace(1 << 30);
        space.account(store(p1));
        space.account(store(p2));
        Topics topics = settings.topics();
        released = new TopicPartition(topics.released(), 0);
        completions = new TopicPartition(topics.completions(), 0);
        consumer = new CommitRecordingConsumer();
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(released, completions));
            consumer.updateBeginningOffsets(Map.of(released, 0L, completions, 0L));
        });
    }

    @Test
    void shouldRetryAFailedCommitAndDeleteTheBundleOnce() throws Exception {
        // Given a commit the group refuses once (a rebalance in progress), When p1's completion and release arrive
        try (ReleaseCollector collector = startedRefusingOneCommit()) {
            // Then p1 is deleted once, the failure counted, and the commit retried up to the records applied
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(consumer.committed(Set.of(released,
                completions))).containsEntry(released, new OffsetAndMetadata(1)).containsEntry(completions, new OffsetAndMetadata(1)));
            assertThat(store.get(p1)).isEmpty();
            assertThat(store.get(p2)).isPresent();
            assertThat(space.usedBytes()).isEqualTo(store.get(p2).orElseThrow().bytes());
            assertThat(registry.get("handoff.producer.gc.failures").counter().count()).isGreaterThanOrEqualTo(1.0);
            assertThat(collector.isRunning()).isTrue();
        }
    }

    @Test
    void shouldNotCommitARevokedPartitionAndNotDeleteTwiceWhenItComesBack() throws Exception {
        // Given p1's completion and release applied (p1 deleted) but their commit refused by a rebalance
        try (ReleaseCollector collector = startedRefusingOneCommit()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> consumer.refused.get() == 1);
            assertThat(store.get(p1)).isEmpty();

            // When the rebalance takes the completions partition away, and later gives it back
            consumer.schedulePollTask(() -> consumer.rebalance(List.of(released)));
            await().atMost(Duration.ofSeconds(10)).until(() -> consumer.assignment().equals(Set.of(released))
                && consumer.committed(Set.of(released)).containsKey(released));
            consumer.schedulePollTask(() -> {
                consumer.rebalance(List.of(released, completions));
                // The group has no offset for it: the completion is delivered again
                consumer.addRecord(completionOf(p1, 0));
            });

            // Then the revoked partition was never committed while revoked, the redelivered completion is
            // committed now, and p1 was deleted (its bytes freed) only once
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(consumer.committed(Set.of(completions)))
                .containsEntry(completions, new OffsetAndMetadata(1)));
            assertThat(consumer.commitsWhileRevoked).isEmpty();
            assertThat(consumer.committed(Set.of(released))).containsEntry(released, new OffsetAndMetadata(1));
            assertThat(space.usedBytes()).isEqualTo(store.get(p2).orElseThrow().bytes());
            assertThat(collector.isRunning()).isTrue();
        }
    }

    /** A started collector whose group refuses its first commit, with p1's completion and release delivered to it. */
    private ReleaseCollector startedRefusingOneCommit() {
        consumer.failCommits.set(1);
        ReleaseCollector collector = new ReleaseCollector(settings, store, space, new PartLocks(4), metrics, consumer);
        collector.start();
        consumer.schedulePollTask(() -> deliverCompletionAndRelease(0));
        return collector;
    }

    private void deliverCompletionAndRelease(long offset) {
        consumer.addRecord(completionOf(p1, offset));
        consumer.addRecord(new ConsumerRecord<>(released.topic(), 0, offset, LIAISON,
            Codecs.RELEASE.encode(new Release(LIAISON, p1))));
    }

    private ConsumerRecord<String, byte[]> completionOf(PartKey part, long offset) {
        return new ConsumerRecord<>(completions.topic(), 0, offset, NODE, Codecs.COMPLETION.encode(new Completion(NODE, part,
            Completion.Outcome.DELIVERED, "r1", 1, settings.topics().node(NODE), 0, 0, 1_000)));
    }

    private long store(PartKey part) throws Exception {
        Bundle bundle = Bundle.of(part, new Bundle.Type("core", Fixtures.typeDir(tmp.resolve("src-" + part.partId()), "core",
            Map.of("primary.bin", bytes(100, (int) part.partId()))), Map.of()));
        Manifest m = store.storeNew(store.plan(bundle),
            types -> Manifest.fresh(part, types, List.of(new Manifest.Target(NODE, 1_000, true))));
        return m.bytes();
    }

    /** A MockConsumer that refuses the next {@link #failCommits} commits and notes any commit of an unassigned partition. */
    private static final class CommitRecordingConsumer extends MockConsumer<String, byte[]> {
        final AtomicInteger failCommits = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();
        final List<TopicPartition> commitsWhileRevoked = new CopyOnWriteArrayList<>();

        CommitRecordingConsumer() {
            super("earliest");
        }

        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
            offsets.keySet().stream().filter(tp -> !assignment().contains(tp)).forEach(commitsWhileRevoked::add);
            if (failCommits.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                refused.incrementAndGet();
                throw new CommitFailedException("the group is rebalancing");
            }
            super.commitSync(offsets);
        }
    }
}
