package dev.handoff.protocol;

import dev.handoff.protocol.json.OptionalField;

/**
 * The topology's folded view of one node, the value of the compacted {@code node-status} topic. {@code throttle}
 * is the operator's live rate limit ({@code handoff throttle}), null when none is in force; {@code retargetTo} the
 * node that replaces this one ({@code handoff retarget}), null when none does.
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
    @OptionalField Throttle throttle,
    @OptionalField String retargetTo) {

    public NodeStatus {
        NodeAddress.require("node", node);
        if (retargetTo != null) {
            NodeAddress.require("retargetTo", retargetTo);
        }
        Names.required("health", health);
        Names.nonNegative("pendingParts", pendingParts);
        Names.nonNegative("pendingBytes", pendingBytes);
        Names.nonNegative("updatedAt", updatedAt);
    }

    /** A status with no node replacing this one. */
    public NodeStatus(String node, Health health, boolean paused, Long truncateBefore, long pendingParts,
                      long pendingBytes, Long oldestEnqueuedAt, long updatedAt, Throttle throttle) {
        this(node, health, paused, truncateBefore, pendingParts, pendingBytes, oldestEnqueuedAt, updatedAt, throttle, null);
    }

    /** A status without a live throttle (the replayers' startup limits apply). */
    public NodeStatus(String node, Health health, boolean paused, Long truncateBefore, long pendingParts,
                      long pendingBytes, Long oldestEnqueuedAt, long updatedAt) {
        this(node, health, paused, truncateBefore, pendingParts, pendingBytes, oldestEnqueuedAt, updatedAt, null, null);
    }

    /** This status with {@code throttle} (null: none) in force. */
    public NodeStatus withThrottle(Throttle throttle) {
        return new NodeStatus(node, health, paused, truncateBefore, pendingParts, pendingBytes, oldestEnqueuedAt,
            updatedAt, throttle, retargetTo);
    }

    /** This status with {@code retargetTo} (null: none) replacing the node. */
    public NodeStatus withRetargetTo(String retargetTo) {
        return new NodeStatus(node, health, paused, truncateBefore, pendingParts, pendingBytes, oldestEnqueuedAt,
            updatedAt, throttle, retargetTo);
    }

    /** This status with another health, pause, truncation, pending counts and update time; the rest is kept. */
    public NodeStatus with(Health health, boolean paused, Long truncateBefore, long pendingParts, long pendingBytes,
                           Long oldestEnqueuedAt, long updatedAt) {
        return new NodeStatus(node, health, paused, truncateBefore, pendingParts, pendingBytes, oldestEnqueuedAt,
            updatedAt, throttle, retargetTo);
    }

    /** A node nothing is known about yet. */
    public static NodeStatus unknown(String node, long at) {
        return new NodeStatus(node, Health.UNKNOWN, false, null, 0, 0, null, at);
    }

    /** True when replayers may deliver to this node: not paused, not known to be down, and not replaced. */
    public boolean deliverable() {
        return !paused && health != Health.DOWN && retargetTo == null;
    }
}
