package dev.handoff.replayer.internals;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The offsets a transaction carries that no delivery completed: the log start of a partition assigned without a
 * committed offset, so the group's lag is the node's pending count from the start (a node down since before its first
 * record would otherwise show no offset, "-", in kafka-consumer-groups), and the consumer's position past the markers
 * of transactions at the end of an idle partition. An offset already committed is never moved back. Poll thread only.
 */
final class GroupOffsets {
    private static final Logger LOGGER = LoggerFactory.getLogger(GroupOffsets.class);

    /** Reads the group's committed offsets, the log starts and the consumer's positions (on the poll thread). */
    interface Reader {
        /**
         * The log start of each of {@code partitions} that has no committed offset (the others are left out), or
         * null when they cannot be read now: they are asked for again at a later commit. The committed offsets read
         * on the way go to {@code committed}.
         */
        Map<TopicPartition, Long> ofUncommitted(Set<TopicPartition> partitions, Map<TopicPartition, Long> committed);

        /** The consumer's position in {@code tp} (the next offset a poll returns), or null when it is not known. */
        Long position(TopicPartition tp);
    }

    private final Scheduler scheduler;
    private final Reader reader;
    /** Assigned partitions not yet known to have a committed offset. */
    private final Set<TopicPartition> unchecked = new HashSet<>();
    /** Per owned partition, the group's committed offset as far as it is known here. */
    private final Map<TopicPartition, Long> groupAt = new HashMap<>();

    GroupOffsets(Scheduler scheduler, Reader reader) {
        this.scheduler = scheduler;
        this.reader = reader;
    }

    /** Newly assigned partitions: each gets its log start committed by the next transaction if it has no offset. */
    void assigned(Collection<TopicPartition> partitions) {
        unchecked.addAll(partitions);
    }

    /** The group committed {@code offset} on {@code tp}. */
    void committed(TopicPartition tp, long offset) {
        groupAt.put(tp, offset);
    }

    /** Adds to {@code parts} (one batch per partition) the offsets of the partitions {@code which} accepts that need one. */
    void addTo(Predicate<TopicPartition> which, Map<TopicPartition, Batch> parts) {
        addLogStarts(which, parts);
        skipMarkers(which, parts);
    }

    /** Adds an offsets-only batch at the log start for each partition {@code which} accepts that has no offset. */
    private void addLogStarts(Predicate<TopicPartition> which, Map<TopicPartition, Batch> parts) {
        Set<TopicPartition> due = new HashSet<>();
        unchecked.stream().filter(which).forEach(due::add);
        if (due.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> committed = new HashMap<>();
        Map<TopicPartition, Long> starts = reader.ofUncommitted(due, committed);
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
            Long position = reader.position(tp);
            if (at == null || position == null || position <= at) {
                continue;
            }
            Map<TopicPartition, OffsetAndMetadata> offset = Map.of(tp, new OffsetAndMetadata(position));
            parts.put(tp, drained == null ? new Batch(List.of(), List.of(), offset)
                : new Batch(drained.completions(), drained.produced(), offset));
        }
    }

    /** Partitions given up. */
    void forget(Collection<TopicPartition> partitions) {
        unchecked.removeAll(partitions);
        groupAt.keySet().removeAll(partitions);
    }

    /** Every partition given up. */
    void clear() {
        unchecked.clear();
        groupAt.clear();
    }
}
