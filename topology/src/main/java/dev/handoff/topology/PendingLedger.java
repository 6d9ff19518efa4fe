package dev.handoff.topology;

import dev.handoff.protocol.Completion;
import dev.handoff.topology.state.Enqueued;
import dev.handoff.topology.state.Pending;
import dev.handoff.topology.state.Position;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Which enqueue records of a task's nodes are pending, matched with completions by position
 * ({@code topic/partition/offset}). Bounded by what is pending: a record leaves every store when it
 * completes, an early completion when its record arrives (or is known never to arrive).
 *
 * <ul>
 *   <li>pending: position key to {@link Pending};
 *   <li>index: {@code node|enqueuedAt|position} to position key, so a node's first key is its oldest;
 *   <li>early: position key to a completion seen before its record (completions and node topics are
 *       different topics, so either may be read first);
 *   <li>watermark: {@code topic|partition} to the next offset not yet read. Records of one node topic
 *       partition arrive in offset order (one node, one key, one repartition partition), so a completion
 *       below the watermark with nothing pending was already matched: a duplicate.
 * </ul>
 * Used only from the node-status processor's stream thread.
 */
final class PendingLedger {
    private static final StringSerializer KEYS = new StringSerializer();

    /** What an enqueue record did. */
    enum EnqueueOutcome {
        /** It is now pending. */
        ADDED,
        /** Its completion had already arrived: it never becomes pending. */
        COMPLETED_EARLY,
        /** Read before (its offset is below the partition's watermark): ignored. */
        SEEN_BEFORE
    }

    /**
     * @param early the completion that was waiting for this record, when {@code COMPLETED_EARLY}
     * @param orphans early completions of lower offsets in the same partition: their records were
     *     deleted from the node topic before the topology read them, so they will never arrive
     */
    record EnqueueResult(EnqueueOutcome outcome, Completion early, List<Completion> orphans) {
    }

    /** What a completion did; {@code pending} is the record it completed when {@code MATCHED}. */
    record CompletionResult(TopologyMetrics.CompletionOutcome outcome, Pending pending) {
    }

    private final KeyValueStore<String, Pending> pending;
    private final KeyValueStore<String, String> index;
    private final KeyValueStore<String, Completion> early;
    private final KeyValueStore<String, Long> watermark;

    PendingLedger(KeyValueStore<String, Pending> pending, KeyValueStore<String, String> index,
        KeyValueStore<String, Completion> early, KeyValueStore<String, Long> watermark) {
        this.pending = pending;
        this.index = index;
        this.early = early;
        this.watermark = watermark;
    }

    EnqueueResult enqueue(String node, Enqueued e) {
        Position p = e.position();
        Long next = watermark.get(p.partitionKey());
        if (next != null && p.offset() < next) {
            return new EnqueueResult(EnqueueOutcome.SEEN_BEFORE, null, List.of());
        }
        watermark.put(p.partitionKey(), p.offset() + 1);
        List<Completion> orphans = removeEarlyBelow(p);
        Completion waiting = early.delete(p.key());
        if (waiting != null) {
            return new EnqueueResult(EnqueueOutcome.COMPLETED_EARLY, waiting, orphans);
        }
        Pending record = Pending.of(e);
        pending.put(p.key(), record);
        index.put(record.indexKey(node, p), p.key());
        return new EnqueueResult(EnqueueOutcome.ADDED, null, orphans);
    }

    CompletionResult complete(String node, Completion c) {
        Position p = Position.of(c);
        Pending record = pending.delete(p.key());
        if (record != null) {
            index.delete(record.indexKey(node, p));
            return new CompletionResult(TopologyMetrics.CompletionOutcome.MATCHED, record);
        }
        Long next = watermark.get(p.partitionKey());
        if ((next != null && p.offset() < next) || early.get(p.key()) != null) {
            return new CompletionResult(TopologyMetrics.CompletionOutcome.DUPLICATE, null);
        }
        early.put(p.key(), c);
        return new CompletionResult(TopologyMetrics.CompletionOutcome.EARLY, null);
    }

    /** The enqueue time of the node's oldest pending record, or null when nothing is pending. */
    Long oldest(String node) {
        String prefix = Pending.indexPrefix(node);
        try (KeyValueIterator<String, String> it = index.prefixScan(prefix, KEYS)) {
            if (!it.hasNext()) {
                return null;
            }
            String key = it.next().key;
            return Long.parseLong(key.substring(prefix.length(), prefix.length() + 19));
        }
    }

    private List<Completion> removeEarlyBelow(Position p) {
        if (p.offset() == 0) {
            return List.of();
        }
        List<KeyValue<String, Completion>> found = new ArrayList<>();
        String from = new Position(p.topic(), p.partition(), 0).key();
        String to = new Position(p.topic(), p.partition(), p.offset() - 1).key();
        try (KeyValueIterator<String, Completion> it = early.range(from, to)) {
            it.forEachRemaining(found::add);
        }
        List<Completion> orphans = new ArrayList<>(found.size());
        for (KeyValue<String, Completion> kv : found) {
            early.delete(kv.key);
            orphans.add(kv.value);
        }
        return orphans;
    }
}
