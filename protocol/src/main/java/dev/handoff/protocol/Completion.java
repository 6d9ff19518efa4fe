package dev.handoff.protocol;

import dev.handoff.protocol.json.OptionalField;
import java.util.List;

/**
 * The end of one enqueue record: written by a replayer in the same transaction as the offset
 * commit of {@code topic/partition/offset}. {@code retargetedTo} is set exactly when the outcome is
 * {@code RETARGETED}: the node that now stands in for {@code node} (absent from records written before retargets).
 */
public record Completion(
    String node,
    PartKey part,
    Outcome outcome,
    String replayer,
    int attempts,
    String topic,
    int partition,
    long offset,
    long at,
    @OptionalField String retargetedTo) {

    /** How a record was completed. */
    public enum Outcome {
        DELIVERED, DUPLICATE, PARKED, EXPIRED, TRUNCATED,
        /**
         * Moved, not delivered: the node was replaced ({@code handoff retarget}) and, in the same transaction, the
         * bundle was enqueued for {@link Completion#retargetedTo()} (unless it was already one of its targets).
         */
        RETARGETED
    }

    public Completion {
        NodeAddress.require("node", node);
        Names.required("part", part);
        Names.required("outcome", outcome);
        Names.requireText("replayer", replayer);
        Names.nonNegative("attempts", attempts);
        Names.requireText("topic", topic);
        Names.nonNegative("partition", partition);
        Names.nonNegative("offset", offset);
        Names.nonNegative("at", at);
        if (Names.onlyFor("retargetedTo", retargetedTo, "outcome", outcome, Outcome.RETARGETED)) {
            NodeAddress.require("retargetedTo", retargetedTo);
        }
    }

    /** A completion of any outcome but RETARGETED. */
    public Completion(String node, PartKey part, Outcome outcome, String replayer, int attempts, String topic,
                      int partition, long offset, long at) {
        this(node, part, outcome, replayer, attempts, topic, partition, offset, at, null);
    }

    /**
     * The targets the bundle has once this completion is counted: {@code targets}, plus the node that stands in for
     * {@link #node()} when this completion moved the record there.
     */
    public List<String> targetsAfter(List<String> targets) {
        return retargetedTo == null ? targets : EnqueueRecord.withTarget(targets, retargetedTo);
    }
}
