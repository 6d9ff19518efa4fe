package dev.handoff.cli;

import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.InvalidRecordException;
import dev.handoff.protocol.common.TopicRanges;
import dev.handoff.protocol.json.Codecs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

/**
 * A node's sync point, exact from Kafka: per partition of the node topic, the offset of the first record written at
 * or after TIME (Kafka's {@code offsetsForTimes}; the end offset when there is none), against the replayer group's
 * committed offsets. A committed offset is a completion, so a partition is done once its committed offset (or its
 * log start, which the replayer advances only up to the committed offset) reaches the sync point.
 */
final class SyncPoint {
    private final Map<TopicPartition, Long> targets;

    private SyncPoint(Map<TopicPartition, Long> targets) {
        this.targets = Map.copyOf(targets);
    }

    /** What is still pending below the sync point: per partition the range [from, to). */
    record Pending(Map<TopicPartition, long[]> ranges) {
        long count() {
            return ranges.values().stream().mapToLong(r -> r[1] - r[0]).sum();
        }

        boolean done() {
            return count() == 0;
        }
    }

    /** What the pending records hold: read from Kafka only when a wait gives up. */
    record Summary(long records, long read, long bytes, Long oldestEnqueuedAt, long unreadable) {
    }

    /**
     * The sync point of {@code topic} for records enqueued before {@code time} ({@code null} = now: the end offsets),
     * or {@code null} if the topic does not exist (nothing was ever enqueued for the node).
     */
    static SyncPoint at(Admin admin, Consumer<byte[], byte[]> consumer, String topic, Long time, Duration timeout)
        throws InterruptedException {
        List<TopicPartition> partitions = partitions(admin, topic, timeout);
        if (partitions == null) {
            return null;
        }
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        Map<TopicPartition, Long> targets = new HashMap<>(end);
        if (time != null) {
            Map<TopicPartition, Long> query = new HashMap<>();
            partitions.forEach(tp -> query.put(tp, time));
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, timeout);
            found.forEach((tp, at) -> {
                if (at != null) {
                    targets.put(tp, Math.min(at.offset(), end.get(tp)));
                }
            });
        }
        return new SyncPoint(targets);
    }

    private static List<TopicPartition> partitions(Admin admin, String topic, Duration timeout) throws InterruptedException {
        TopicDescription d = KafkaReads.describeOrNull(admin, topic, timeout);
        if (d == null) {
            return null;
        }
        List<TopicPartition> partitions = new ArrayList<>();
        d.partitions().forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        return partitions;
    }

    Map<TopicPartition, Long> targets() {
        return targets;
    }

    /** Records below the sync point the group has not completed yet. */
    Pending pending(Admin admin, Consumer<byte[], byte[]> consumer, String group, Duration timeout)
        throws InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> committed;
        try {
            committed = admin.listConsumerGroupOffsets(Map.of(group,
                    new ListConsumerGroupOffsetsSpec().topicPartitions(targets.keySet())))
                .partitionsToOffsetAndMetadata(group).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the committed offsets of group " + group + ": "
                + e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Kafka did not list the offsets of group " + group + " within "
                + timeout.toSeconds() + " s", e);
        }
        Map<TopicPartition, Long> start = consumer.beginningOffsets(targets.keySet(), timeout);
        Map<TopicPartition, long[]> ranges = new TreeMap<>(java.util.Comparator.comparingInt(TopicPartition::partition));
        targets.forEach((tp, target) -> {
            OffsetAndMetadata c = committed == null ? null : committed.get(tp);
            long from = Math.max(c == null ? 0 : c.offset(), start.getOrDefault(tp, 0L));
            if (from < target) {
                ranges.put(tp, new long[] {from, target});
            }
        });
        return new Pending(ranges);
    }

    /**
     * Reads the pending records (bounded by {@code timeout}: a huge backlog is summed as far as it gets) for their
     * bytes and oldest enqueue time.
     */
    static Summary summarize(Consumer<byte[], byte[]> consumer, Pending pending, Duration timeout) {
        long total = pending.count();
        if (total == 0) {
            return new Summary(0, 0, 0, null, 0);
        }
        Map<TopicPartition, Long> from = new HashMap<>();
        Map<TopicPartition, Long> to = new HashMap<>();
        pending.ranges().forEach((tp, r) -> {
            from.put(tp, r[0]);
            to.put(tp, r[1]);
        });
        long[] sums = new long[3]; // read, bytes, unreadable
        Long[] oldest = {null};
        TopicRanges.read(consumer, from, to, timeout, r -> {
            sums[0]++;
            try {
                EnqueueRecord record = Codecs.ENQUEUE.decode(r.value());
                sums[1] += record.bytes();
                oldest[0] = oldest[0] == null ? record.enqueuedAt() : Math.min(oldest[0], record.enqueuedAt());
            } catch (InvalidRecordException e) {
                sums[2]++;
            }
        });
        return new Summary(total, sums[0], sums[1], oldest[0], sums[2]);
    }
}
