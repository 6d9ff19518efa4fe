package dev.handoff.protocol;

import dev.handoff.protocol.json.OptionalField;

/** The topology's folded view of one node, the value of the compacted {@code node-status} topic. */
public record NodeStatus(
    String node,
    Health health,
    boolean paused,
    @OptionalField Long truncateBefore,
    long pendingParts,
    long pendingBytes,
    @OptionalField Long oldestEnqueuedAt,
    long updatedAt) {

    public NodeStatus {
        NodeAddress.require("node", node);
        Names.required("health", health);
        Names.nonNegative("pendingParts", pendingParts);
        Names.nonNegative("pendingBytes", pendingBytes);
        Names.nonNegative("updatedAt", updatedAt);
    }

    /** A node nothing is known about yet. */
    public static NodeStatus unknown(String node, long at) {
        return new NodeStatus(node, Health.UNKNOWN, false, null, 0, 0, null, at);
    }

    /** True when replayers may deliver to this node: not paused and not known to be down. */
    public boolean deliverable() {
        return !paused && health != Health.DOWN;
    }
}
