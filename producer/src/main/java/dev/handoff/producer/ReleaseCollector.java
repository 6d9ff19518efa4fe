package dev.handoff.producer;

import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.Release;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.common.KafkaFailures;
import dev.handoff.protocol.common.LoopThread;
import dev.handoff.protocol.common.Backoff;
import dev.handoff.protocol.common.PartLocks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Garbage collection of the part store. Consumes {@code released} and {@code completions} (group
 * {@code handoff-producer-<liaison>}) and deletes a stored bundle once the topology released it AND
 * every node in the manifest's targets has a completion that no longer needs the files (see
 * docs/PRODUCER.md: a Release emitted before a re-enqueue added a node must not delete it). Offsets
 * are committed only after the manifest change or deletion is durable, so what arrived while the
 * producer was down is processed at the next start. The consumer is confined to the one thread this
 * class owns.
 */
final class ReleaseCollector implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(ReleaseCollector.class);
    private final Topics topics;
    private final ManifestChanges changes;
    private final ReleaseRecords inputs;
    private final Consumer<String, byte[]> consumer;
    private final LoopThread loop;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Backoff backoff = Backoff.exponential(Duration.ofMillis(200), Duration.ofSeconds(30));
    private final ProducerMetrics metrics;
    private volatile String failure;
    /** Per partition, the first record whose change is only in memory: the commit is held there (GC thread only). */
    private final Map<TopicPartition, Long> heldAt = new HashMap<>();
    /** Per partition, the offset after the last record applied (GC thread only). */
    private final Map<TopicPartition, Long> consumed = new HashMap<>();
    private final Map<TopicPartition, Long> committedUpTo = new HashMap<>();

    /** With a consumer made from {@link ReleaseRecords#consumerConfig} (a {@code MockConsumer} in unit tests); owns and closes it. */
    ReleaseCollector(ProducerSettings settings, BundleStore store, StoreSpace space, PartLocks locks, ProducerMetrics metrics,
                     Consumer<String, byte[]> consumer) {
        this.topics = settings.topics();
        this.changes = new ManifestChanges(store, space, locks);
        this.inputs = new ReleaseRecords(settings.liaison(), topics, store, metrics);
        this.metrics = metrics;
        this.consumer = consumer;
        this.loop = new LoopThread("handoff-producer-gc", this::run);
    }

    void start() {
        loop.start();
    }

    boolean isRunning() {
        return loop.running() && loop.alive();
    }

    /** Why collection stopped for good (a fatal Kafka failure), or null while it runs or retries. */
    String failure() {
        return failure;
    }

    /**
     * Polls and applies until closed. Every failure (a broker hiccup, a commit refused by a rebalance, a
     * record that cannot be applied) is counted and retried after a backoff; the thread ends only on close,
     * or on a fatal Kafka failure (an ACL or credentials problem retrying cannot fix), which it reports.
     */
    private void run() {
        try {
            consumer.subscribe(List.of(topics.released(), topics.completions()), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    forget(partitions);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    forget(partitions);
                }
            });
            int failures = 0;
            while (loop.running()) {
                boolean ok;
                try {
                    ok = processBatch(consumer.poll(Duration.ofMillis(500)));
                } catch (WakeupException | InterruptException e) {
                    throw e;
                } catch (RuntimeException e) {
                    if (KafkaFailures.isFatal(e)) {
                        failure = KafkaFailures.describe("producer garbage collection", e);
                        LOGGER.atError().addKeyValue("error", e.toString()).log(failure);
                        return;
                    }
                    LOGGER.atWarn().addKeyValue("error", e.toString()).addKeyValue("failures", failures + 1)
                        .log("release collection failed; retrying");
                    ok = false;
                }
                if (!ok) {
                    metrics.gcFailure();
                }
                failures = ok ? 0 : failures + 1;
                if (failures > 0 && closing.await(backoff.delay(failures).toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        } catch (WakeupException e) {
            LOGGER.atDebug().log("release collector woken up to close");
        } catch (InterruptedException | InterruptException e) {
            Thread.currentThread().interrupt();
        } finally {
            loop.stop();
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    /**
     * Applies one poll's records as one batch ({@link ManifestChanges#applyAll}: every change of one bundle folded
     * into one manifest, rewrites and deletes sharing their fsyncs), then commits, per partition, the offset after
     * the last record whose change is durable. A record that cannot be read is skipped; one whose bundle's delete
     * failed seeks its partition back to it (later records are applied again, which changes nothing). Returns false
     * on such a failure.
     *
     * <p>A change whose manifest rewrite failed (a full disk: a rewrite needs a new page) does not stop the
     * partition: it is kept in memory ({@link ManifestChanges}) and applied on top of the stored manifest by every later
     * change of that bundle, so a completion or release that makes the bundle deletable still deletes it, which is
     * what frees space. The partition's committed offset is held at the first such record until every kept change
     * is on disk, so a restart applies them again.
     */
    private boolean processBatch(ConsumerRecords<String, byte[]> records) {
        boolean ok = true;
        changes.saveUnsaved();
        List<Staged> staged = new ArrayList<>();
        Map<TopicPartition, Long> next = new HashMap<>();
        for (TopicPartition tp : records.partitions()) {
            for (ConsumerRecord<String, byte[]> r : records.records(tp)) {
                try {
                    ManifestChanges.Change change = inputs.decode(r);
                    if (change != null) {
                        staged.add(new Staged(change, tp, r.offset()));
                    }
                    next.put(tp, r.offset() + 1);
                } catch (RuntimeException e) {
                    LOGGER.atWarn().addKeyValue("topic", r.topic()).addKeyValue("offset", r.offset())
                        .addKeyValue("error", e.toString()).log("could not apply a release; retrying");
                    consumer.seek(tp, r.offset());
                    ok = false;
                    break;
                }
            }
        }
        Map<PartKey, ManifestChanges.Outcome> outcomes = changes.applyAll(staged.stream().map(Staged::change).toList());
        Map<TopicPartition, Long> failedAt = new HashMap<>();
        for (Staged s : staged) {
            switch (outcomes.get(s.change().part())) {
                case KEPT -> {
                    // Counted, not backed off: the next poll tries the kept changes again.
                    metrics.gcFailure();
                    heldAt.merge(s.tp(), s.offset(), Math::min);
                }
                case FAILED -> failedAt.merge(s.tp(), s.offset(), Math::min);
                case DONE -> { }
            }
        }
        failedAt.forEach((tp, offset) -> {
            consumer.seek(tp, offset);
            next.put(tp, offset);
        });
        ok &= failedAt.isEmpty();
        next.forEach((tp, offset) -> consumed.merge(tp, offset, Math::max));
        if (changes.allSaved()) {
            heldAt.clear();
        }
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        consumed.forEach((tp, upTo0) -> {
            long upTo = Math.min(upTo0, heldAt.getOrDefault(tp, upTo0));
            if (upTo > committedUpTo.getOrDefault(tp, -1L)) {
                commit.put(tp, new OffsetAndMetadata(upTo));
            }
        });
        if (!commit.isEmpty()) {
            consumer.commitSync(commit);
            commit.forEach((tp, o) -> committedUpTo.put(tp, o.offset()));
        }
        return ok;
    }

    /** One record's change with where it came from. */
    private record Staged(ManifestChanges.Change change, TopicPartition tp, long offset) {
    }

    /** A partition given up: its next owner starts from the committed (held) offset and applies its records again. */
    private void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(tp -> {
            heldAt.remove(tp);
            consumed.remove(tp);
            committedUpTo.remove(tp);
        });
    }

    @Override
    public void close() {
        if (!loop.alive() && !loop.running()) {
            if (!loop.started()) {
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            }
            return;
        }
        loop.stop();
        closing.countDown();
        consumer.wakeup();
        loop.join(Duration.ofSeconds(10));
    }
}
