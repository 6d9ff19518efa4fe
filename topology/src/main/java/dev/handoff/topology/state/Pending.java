package dev.handoff.topology.state;

import dev.handoff.protocol.Names;
import dev.handoff.protocol.PartKey;
import java.util.List;

/** One enqueue record not yet completed: the value of the pending store, keyed by its {@link Position}. */
public record Pending(String node, PartKey part, List<String> targets, long bytes, long enqueuedAt) {

    public Pending {
        Names.required("node", node);
        Names.required("part", part);
        targets = List.copyOf(Names.required("targets", targets));
        Names.nonNegative("bytes", bytes);
        Names.nonNegative("enqueuedAt", enqueuedAt);
    }

    public static Pending of(Enqueued e) {
        return new Pending(e.node(), e.part(), e.targets(), e.bytes(), e.enqueuedAt());
    }

    /** Key of the age index: {@code node|enqueuedAt|position}; a node's first key is its oldest pending record. */
    public String indexKey(String statusNode, Position position) {
        return indexPrefix(statusNode) + Position.pad(enqueuedAt) + "|" + position.key();
    }

    /** Every index key of one node starts with this ({@code |} never occurs in a node address). */
    public static String indexPrefix(String statusNode) {
        return statusNode + "|";
    }
}
