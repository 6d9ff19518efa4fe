package dev.handoff.replayer.internals;

import dev.handoff.protocol.NodeStatus;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.common.HandoffHeaders;
import dev.handoff.protocol.json.Codecs;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Where the records of a replaced node go ({@code handoff retarget OLD NEW}): the end of the chain of replacements
 * the node statuses name (OLD to NEW, NEW to NEWER...), and the copy of a record for that node. Stateless.
 */
final class Retargets {
    /** Longest chain of replacements followed; a longer one is treated as a cycle. */
    static final int MAX_HOPS = 16;

    private Retargets() {
    }

    /**
     * The node that now stands in for {@code node}, following replacements; empty when {@code node} is not replaced,
     * or when the replacements loop (OLD to NEW and NEW to OLD): its records then wait, as for a node that is down.
     */
    static Optional<String> standIn(String node, Function<String, NodeStatus> statuses) {
        Set<String> seen = new LinkedHashSet<>();
        seen.add(node);
        String current = node;
        for (int hop = 0; hop < MAX_HOPS; hop++) {
            NodeStatus s = statuses.apply(current);
            String next = s == null ? null : s.retargetTo();
            if (next == null) {
                return current.equals(node) ? Optional.empty() : Optional.of(current);
            }
            if (!seen.add(next)) {
                return Optional.empty();
            }
            current = next;
        }
        return Optional.empty();
    }

    /**
     * The record of {@code w} enqueued for {@code to} (same key, {@code to} among its targets), for {@code to}'s topic,
     * with headers naming the node it was for and where it was read; null when {@code to} is one of the bundle's
     * targets already (it has, or will have, a record of its own).
     */
    static ProducerRecord<String, byte[]> copy(Topics topics, Pending w, String to) {
        if (w.record.targets().contains(to)) {
            return null;
        }
        RecordHeaders headers = new RecordHeaders();
        HandoffHeaders.put(headers, HandoffHeaders.RETARGETED_FROM, w.node);
        HandoffHeaders.putSource(headers, w.raw.topic(), w.raw.partition(), w.raw.offset());
        return new ProducerRecord<>(topics.node(to), null, w.raw.key(), Codecs.ENQUEUE.encode(w.record.retargeted(to)),
            headers);
    }
}
