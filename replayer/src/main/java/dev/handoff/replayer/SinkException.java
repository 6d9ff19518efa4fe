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

    public boolean nodeUnavailable() {
        return nodeUnavailable;
    }
}
