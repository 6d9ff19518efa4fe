package dev.handoff.replayer.internals;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits the complete prefix of the partitions asked for in one transaction, and keeps the batches a
 * rebalance refused (per partition) to commit them again, with the same producer, in the next transaction
 * of their partition. Confined to the poll thread.
 */
final class Commits {
    private static final Logger LOGGER = LoggerFactory.getLogger(Commits.class);

    private final Scheduler scheduler;
    private final LogStartAdvancer advancer;
    /** Batches a rebalance refused, per partition. A partition given up drops its carried batch. */
    private final Map<TopicPartition, Batch> carried = new HashMap<>();

    Commits(Scheduler scheduler, LogStartAdvancer advancer) {
        this.scheduler = scheduler;
        this.advancer = advancer;
    }

    /**
     * Commits what is complete of the partitions {@code which} accepts, with what was carried for them.
     *
     * @throws TransactionalCommitter.CommitAbortedException when the transaction failed for another reason than a
     *     rebalance: the caller rejoins with fresh clients
     */
    void commit(Predicate<TopicPartition> which, TransactionalCommitter committer, ConsumerGroupMetadata group)
        throws TransactionalCommitter.CommitAbortedException {
        Map<TopicPartition, Batch> parts = scheduler.drainByPartition(which);
        carried.entrySet().removeIf(e -> {
            if (!which.test(e.getKey())) {
                return false;
            }
            parts.merge(e.getKey(), e.getValue(), (fresh, older) -> older.followedBy(fresh));
            return true;
        });
        Batch batch = Batch.of(parts.values());
        if (batch.isEmpty()) {
            return;
        }
        try {
            committer.commit(batch, group);
        } catch (TransactionalCommitter.CommitAbortedException e) {
            if (!e.refusedByRebalance()) {
                throw e;
            }
            // Keep the batch and commit it again after the next poll has completed the rebalance, instead of
            // rejoining with fresh clients and sending every delivery of it again.
            carried.putAll(parts);
            LOGGER.atWarn().addKeyValue("completions", batch.completions().size()).addKeyValue("error", e.getCause().toString())
                .log("a rebalance refused the transaction; its completions are committed again after it");
            return;
        }
        batch.offsets().forEach((tp, o) -> advancer.committed(tp, o.offset()));
        LOGGER.atDebug().addKeyValue("completions", batch.completions().size())
            .addKeyValue("parked", batch.parked().size()).log("transaction committed");
    }

    /** Partitions another member owns now: it delivers their uncommitted records again (answered DUPLICATE). */
    void forget(Collection<TopicPartition> partitions) {
        carried.keySet().removeAll(partitions);
        scheduler.removed(partitions);
        partitions.forEach(advancer::forget);
    }

    /** Drops every partition's state and every carried batch (the clients are being replaced). */
    void clear() {
        scheduler.removed(Set.copyOf(scheduler.owned()));
        carried.clear();
    }
}
