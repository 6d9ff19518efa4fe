package dev.handoff.protocol;

import dev.handoff.protocol.json.OptionalField;

/**
 * The topology's folded view of one node, the value of the compacted {@code node-status} topic. {@code throttle}
 * is the operator's live rate limit ({@code handoff throttle}), null when none is in force.
 */
public record NodeStatus(
    String node,
    Health health,
    boolean paused,
    @OptionalField Long truncateBefore,
    long pendingParts,
    long pendingBytes,
    @OptionalField Long oldestEnqueuedAt,
    long updatedAt,
    @OptionalField Throttle throttle) {

    public NodeStatus {
        NodeAddress.require("node", node);
        Names.required("health", health);
        Names.nonNegative("pendingParts", pendingParts);
        Names.nonNegative("pendingBytes", pendingBytes);
        Names.nonNegative("updatedAt", updatedAt);
    }

    /** A status without a live throttle (the replayers' startup limits apply). */
    public NodeStatus(String node, Health health, boolean paused, Long truncateBefore, long pendingParts,
                      long pendingBytes, Long oldestEnqueuedAt, long updatedAt) {
        this(node, health, paused, truncateBefore, pendingParts, pendingBytes, oldestEnqueuedAt, updatedAt, null);
    }

    /** This status with {@code throttle} (null: none) in force. */
    public NodeStatus withThrottle(Throttle throttle) {
        return new NodeStatus(node, health, paused, truncateBefore, pendingParts, pendingBytes, oldestEnqueuedAt,
            updatedAt, throttle);
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
