package dev.handoff.replayer.internals;

import dev.handoff.protocol.Completion;
import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.NodeStatus;
import java.util.Optional;

/** Decides whether a record is delivered or completed without delivery (truncated, expired). Stateless. */
final class RecordPolicy {
    private RecordPolicy() {
    }

    /**
     * The outcome that completes {@code record} without delivering it, or empty when it must be
     * delivered: TRUNCATED when the node's status truncates at or after its enqueue time, EXPIRED when
     * the producer set an expiry that has passed at {@code nowMillis}.
     */
    static Optional<Completion.Outcome> skip(EnqueueRecord record, NodeStatus status, long nowMillis) {
        if (status != null && status.truncateBefore() != null && record.enqueuedAt() <= status.truncateBefore()) {
            return Optional.of(Completion.Outcome.TRUNCATED);
        }
        if (record.expiresAt() != null && record.expiresAt() < nowMillis) {
            return Optional.of(Completion.Outcome.EXPIRED);
        }
        return Optional.empty();
    }

    /** True when records for a node with this status may be delivered (no status known: try). */
    static boolean deliverable(NodeStatus status) {
        return status == null || status.deliverable();
    }
}
