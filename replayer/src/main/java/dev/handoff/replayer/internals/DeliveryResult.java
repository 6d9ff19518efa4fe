package dev.handoff.replayer.internals;

import dev.handoff.protocol.Completion;

/** How one delivery attempt ended. */
sealed interface DeliveryResult {

    /** The receiver applied the bundle or already had it. */
    record Completed(Completion.Outcome outcome) implements DeliveryResult {
    }

    /** The record can never be delivered as it is: park it with {@code reason}. */
    record Park(String reason, String detail) implements DeliveryResult {
    }

    /**
     * Try again later. {@code nodeUnavailable}: the node could not be reached (back off the node,
     * report it DOWN); otherwise the attempt counts against the record's retry budget.
     */
    record Retry(boolean nodeUnavailable, String detail) implements DeliveryResult {
    }

    /**
     * The part store (the liaison) could not be reached, was too slow or busy: try the record again after
     * its own backoff, without spending its retry budget, as for an unreachable node (a liaison restarting
     * or partitioned away must not park its records).
     */
    record SourceUnavailable(String detail) implements DeliveryResult {
    }
}
