package dev.handoff.replayer.internals;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits the complete prefix of the partitions asked for in one transaction, and keeps the batches a
 * rebalance refused (per partition) to commit them again, with the same producer, in the next transaction
 * of their partition. A partition assigned without a committed offset gets its log start committed in the
 * next transaction, so the group's lag is the node's pending count from the start (a node down since before
 * its first record would otherwise show no offset, "-", in kafka-consumer-groups); an offset already
 * committed is never touched, so nothing moves forward. Confined to the poll thread.
 */
final class Commits {
    private static final Logger LOGGER = LoggerFactory.getLogger(Commits.class);

    private final Scheduler scheduler;
    private final LogStartAdvancer advancer;
    /** Batches a rebalance refused, per partition. A partition given up drops its carried batch. */
    private final Map<TopicPartition, Batch> carried = new HashMap<>();
    private final LogStarts logStarts;
    /** Assigned partitions not yet known to have a committed offset. */
    private final Set<TopicPartition> unchecked = new HashSet<>();
    /** Per owned partition, the group's committed offset as far as it is known here. */
    private final Map<TopicPartition, Long> groupAt = new HashMap<>();

    /** Reads the group's committed offsets, the log starts and the consumer's positions (on the poll thread). */
    interface LogStarts {
        /**
         * The log start of each of {@code partitions} that has no committed offset (the others are left out), or
         * null when they cannot be read now: they are asked for again at a later commit. The committed offsets read
         * on the way go to {@code committed}.
         */
        Map<TopicPartition, Long> ofUncommitted(Set<TopicPartition> partitions, Map<TopicPartition, Long> committed);

        /** The consumer's position in {@code tp} (the next offset a poll returns), or null when it is not known. */
        Long position(TopicPartition tp);
    }

    Commits(Scheduler scheduler, LogStartAdvancer advancer, LogStarts logStarts) {
        this.scheduler = scheduler;
        this.advancer = advancer;
        this.logStarts = logStarts;
    }

    /** Newly assigned partitions: each gets its log start committed by the next transaction if it has no offset. */
    void assigned(Collection<TopicPartition> partitions) {
        unchecked.addAll(partitions);
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
        addLogStarts(which, parts);
        skipMarkers(which, parts);
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
        batch.offsets().forEach((tp, o) -> {
            advancer.committed(tp, o.offset());
            groupAt.put(tp, o.offset());
        });
        LOGGER.atDebug().addKeyValue("completions", batch.completions().size())
            .addKeyValue("produced", batch.produced().size()).log("transaction committed");
    }

    /** Adds an offsets-only batch at the log start for each partition {@code which} accepts that has no offset. */
    private void addLogStarts(Predicate<TopicPartition> which, Map<TopicPartition, Batch> parts) {
        Set<TopicPartition> due = new HashSet<>();
        unchecked.stream().filter(which).forEach(due::add);
        if (due.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> committed = new HashMap<>();
        Map<TopicPartition, Long> starts = logStarts.ofUncommitted(due, committed);
        if (starts == null) {
            return;
        }
        groupAt.putAll(committed);
        unchecked.removeAll(due);
        // A batch drained now starts at the log start or later: its offset is the one to commit.
        starts.forEach((tp, start) -> parts.putIfAbsent(tp,
            new Batch(List.of(), List.of(), Map.of(tp, new OffsetAndMetadata(start)))));
        if (!starts.isEmpty()) {
            LOGGER.atInfo().addKeyValue("partitions", starts.size())
                .log("committing the log start of partitions the group had no offset for");
        }
    }

    /**
     * Moves the offset of each idle partition {@code which} accepts up to the consumer's position when that is past
     * what the group has: the offsets in between hold no record, only the markers of transactions that wrote to the
     * topic (a retarget's copies, written with their completions). Committing one past the last record would leave
     * the group's lag at 1 there for good, and {@code handoff wait} and lag-based autoscaling would never see 0.
     */
    private void skipMarkers(Predicate<TopicPartition> which, Map<TopicPartition, Batch> parts) {
        for (TopicPartition tp : scheduler.owned()) {
            if (!which.test(tp) || !scheduler.idle(tp)) {
                continue;
            }
            Batch drained = parts.get(tp);
            Long at = drained != null ? Long.valueOf(drained.offsets().get(tp).offset()) : groupAt.get(tp);
            Long position = logStarts.position(tp);
            if (at == null || position == null || position <= at) {
                continue;
            }
            Map<TopicPartition, OffsetAndMetadata> offset = Map.of(tp, new OffsetAndMetadata(position));
            parts.put(tp, drained == null ? new Batch(List.of(), List.of(), offset)
                : new Batch(drained.completions(), drained.produced(), offset));
        }
    }

    /** Partitions another member owns now: it delivers their uncommitted records again (answered DUPLICATE). */
    void forget(Collection<TopicPartition> partitions) {
        carried.keySet().removeAll(partitions);
        unchecked.removeAll(partitions);
        groupAt.keySet().removeAll(partitions);
        scheduler.removed(partitions);
        partitions.forEach(advancer::forget);
    }

    /** Drops every partition's state and every carried batch (the clients are being replaced). */
    void clear() {
        scheduler.removed(Set.copyOf(scheduler.owned()));
        carried.clear();
        unchecked.clear();
        groupAt.clear();
    }
}
