package dev.handoff.protocol;

/**
 * The end of one enqueue record: written by a replayer in the same transaction as the offset
 * commit of {@code topic/partition/offset}.
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
    long at) {

    /** How a record was completed. */
    public enum Outcome {
        DELIVERED, DUPLICATE, PARKED, EXPIRED, TRUNCATED
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
    }
}
