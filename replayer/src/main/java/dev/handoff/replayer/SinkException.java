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
    /**
     * The gRPC statuses that mean the node (unreachable, slow or busy), not this bundle, is the problem: the
     * replayer backs off the node and spends no retry budget. Every sink classifies a status by this one list.
     */
    public static final java.util.Set<io.grpc.Status.Code> NODE_UNAVAILABLE = java.util.Collections.unmodifiableSet(
        java.util.EnumSet.of(io.grpc.Status.Code.UNAVAILABLE, io.grpc.Status.Code.DEADLINE_EXCEEDED,
            io.grpc.Status.Code.CANCELLED, io.grpc.Status.Code.RESOURCE_EXHAUSTED));
    private final boolean nodeUnavailable;

    public SinkException(String message, boolean nodeUnavailable, Throwable cause) {
        super(message, true, cause);
        this.nodeUnavailable = nodeUnavailable;
    }

    /**
     * A session that ended with a gRPC status: the node is unavailable for exactly the statuses of
     * {@link #NODE_UNAVAILABLE}, so every sink classifies a status the same way.
     */
    public static SinkException ofStatus(io.grpc.Status.Code code, String message, Throwable cause) {
        return new SinkException(message, NODE_UNAVAILABLE.contains(code), cause);
    }

    public boolean nodeUnavailable() {
        return nodeUnavailable;
    }
}
