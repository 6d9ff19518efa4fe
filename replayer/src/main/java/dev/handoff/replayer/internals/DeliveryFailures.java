package dev.handoff.replayer.internals;

import dev.handoff.protocol.Completion;
import dev.handoff.replayer.PartSink;
import dev.handoff.replayer.SinkException;
import io.grpc.Status;
import java.util.Set;

/**
 * The one place the replayer decides what a delivery attempt's end means: complete the record, park it,
 * retry it against its own budget, or back off the node (and report it DOWN). Stateless; every gRPC
 * status and every receiver answer is in {@code DeliveryFailuresTest}'s table.
 *
 * <p>Only transport-level statuses mean the node is the problem: it could not be reached, it took too
 * long, or it is busy. A node that answers but fails (INTERNAL, UNKNOWN, a refusal, an unimplemented
 * service) fails <em>this bundle</em>: the attempt counts against the record's retry budget, so a bundle
 * the receiver always fails is parked instead of flipping the node DOWN and UP forever.
 */
final class DeliveryFailures {
    /** Statuses from the data node that mean the node, not this bundle, is the problem (one list, every sink's). */
    private static final Set<Status.Code> NODE_UNAVAILABLE = SinkException.NODE_UNAVAILABLE;

    private DeliveryFailures() {
    }

    /** True when a data node's gRPC status means the node is unreachable, slow or busy. */
    static boolean nodeUnavailable(Status.Code code) {
        return NODE_UNAVAILABLE.contains(code);
    }

    /** How a failed session to the data node ends the attempt. */
    static DeliveryResult ofSink(SinkException e) {
        return new DeliveryResult.Retry(e.nodeUnavailable(), e.getMessage());
    }

    /**
     * How a failed fetch from the part store ends the attempt: a bundle that is gone is parked; a store that
     * cannot be reached (the same transport-level statuses as for a node) is waited for without spending the
     * record's budget; any other failure of the store charges the record.
     */
    static DeliveryResult ofSource(Status.Code code, String detail) {
        if (code == Status.Code.NOT_FOUND) {
            return new DeliveryResult.Park(ParkReason.SOURCE_NOT_FOUND, detail);
        }
        return NODE_UNAVAILABLE.contains(code) ? new DeliveryResult.SourceUnavailable(detail)
            : new DeliveryResult.Retry(false, detail);
    }

    /** A fetch whose part store sent nothing for the session timeout (a partition, a stalled liaison). */
    static DeliveryResult sourceStalled(java.time.Duration timeout) {
        return new DeliveryResult.SourceUnavailable("source sent nothing for " + timeout);
    }

    /** How the receiver's answer to a commit ends the attempt. */
    static DeliveryResult ofAnswer(PartSink.SyncResult answer) {
        return switch (answer.status()) {
            case APPLIED -> new DeliveryResult.Completed(Completion.Outcome.DELIVERED);
            case DUPLICATE -> new DeliveryResult.Completed(Completion.Outcome.DUPLICATE);
            case REJECTED -> new DeliveryResult.Retry(false, "rejected by the node: " + answer.reason());
            case INCOMPATIBLE -> new DeliveryResult.Park(ParkReason.INCOMPATIBLE, answer.reason());
            case POISON -> new DeliveryResult.Park(ParkReason.POISON, answer.reason());
        };
    }
}
