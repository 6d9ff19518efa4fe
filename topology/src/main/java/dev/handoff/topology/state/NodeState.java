package dev.handoff.topology.state;

import dev.handoff.protocol.Health;
import dev.handoff.protocol.NodeStatus;
import dev.handoff.protocol.Throttle;
import dev.handoff.protocol.json.OptionalField;

/**
 * What the topology keeps per node: the last status it emitted plus the event time of the health
 * event that status reflects (so an older event arriving late is ignored). Immutable; the
 * {@code with*} methods return changed copies.
 */
public record NodeState(NodeStatus status, @OptionalField Long healthAt) {

    public static NodeState unknown(String node, long now) {
        return new NodeState(NodeStatus.unknown(node, now), null);
    }

    public NodeState withHealth(Health health, long at) {
        NodeStatus s = status;
        return new NodeState(s.with(health, s.paused(), s.truncateBefore(), s.pendingParts(), s.pendingBytes(),
            s.oldestEnqueuedAt(), s.updatedAt()), at);
    }

    public NodeState withPaused(boolean paused) {
        NodeStatus s = status;
        return new NodeState(s.with(s.health(), paused, s.truncateBefore(), s.pendingParts(), s.pendingBytes(),
            s.oldestEnqueuedAt(), s.updatedAt()), healthAt);
    }

    public NodeState withTruncateBefore(Long truncateBefore) {
        NodeStatus s = status;
        return new NodeState(s.with(s.health(), s.paused(), truncateBefore, s.pendingParts(), s.pendingBytes(),
            s.oldestEnqueuedAt(), s.updatedAt()), healthAt);
    }

    /** Sets the node's live throttle; null clears it. */
    public NodeState withThrottle(Throttle throttle) {
        return new NodeState(status.withThrottle(throttle), healthAt);
    }

    /** Sets the node that replaces this one; null clears it. */
    public NodeState withRetargetTo(String to) {
        return new NodeState(status.withRetargetTo(to), healthAt);
    }

    /** Adds {@code parts} and {@code bytes} (negative to remove) and sets the oldest pending time. */
    public NodeState withPending(long parts, long bytes, Long oldestEnqueuedAt) {
        NodeStatus s = status;
        return new NodeState(s.with(s.health(), s.paused(), s.truncateBefore(), Math.max(0, s.pendingParts() + parts),
            Math.max(0, s.pendingBytes() + bytes), oldestEnqueuedAt, s.updatedAt()), healthAt);
    }

    public NodeState withUpdatedAt(long updatedAt) {
        NodeStatus s = status;
        return new NodeState(s.with(s.health(), s.paused(), s.truncateBefore(), s.pendingParts(), s.pendingBytes(),
            s.oldestEnqueuedAt(), updatedAt), healthAt);
    }

    /** True when the status an operator sees differs (the update time is not compared). */
    public boolean statusDiffers(NodeState other) {
        return !withUpdatedAt(0).status.equals(other.withUpdatedAt(0).status);
    }
}
