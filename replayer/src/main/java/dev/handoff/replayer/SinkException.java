package dev.handoff.replayer;

import dev.handoff.protocol.HandoffException;

/**
 * A session with a data node broke. {@code nodeUnavailable} says whether the node as a whole
 * looks unreachable (transport failure, stall: back off the node and report it DOWN) or whether the
 * receiver refused this session for a reason of its own (counts against the record's retry budget).
 * Retriable either way.
 */
public class SinkException extends HandoffException {
    private static final long serialVersionUID = 1L;
    private final boolean nodeUnavailable;

    public SinkException(String message, boolean nodeUnavailable, Throwable cause) {
        super(message, true, cause);
        this.nodeUnavailable = nodeUnavailable;
    }

    /**
     * A session that ended with a gRPC status: the node is unavailable for exactly the transport-level statuses
     * of {@link DeliveryFailures}, so every sink classifies a status the same way.
     */
    public static SinkException ofStatus(io.grpc.Status.Code code, String message, Throwable cause) {
        return new SinkException(message, DeliveryFailures.nodeUnavailable(code), cause);
    }

    public boolean nodeUnavailable() {
        return nodeUnavailable;
    }
}
