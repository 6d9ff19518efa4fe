package dev.handoff.producer;

import dev.handoff.protocol.HandoffException;

/**
 * The part store has no room for a bundle. Nothing stored is evicted to make room. Retriable:
 * the store frees space as data nodes complete their parts and the topology releases them.
 */
public class StoreFullException extends HandoffException {
    private static final long serialVersionUID = 1L;
    private final long currentBytes;
    private final long limitBytes;
    private final long requestedBytes;

    public StoreFullException(long currentBytes, long limitBytes, long requestedBytes) {
        this("part store full: current " + currentBytes + " bytes + requested " + requestedBytes
            + " bytes exceeds the limit of " + limitBytes + " bytes", currentBytes, limitBytes, requestedBytes);
    }

    protected StoreFullException(String message, long currentBytes, long limitBytes, long requestedBytes) {
        super(message, true);
        this.currentBytes = currentBytes;
        this.limitBytes = limitBytes;
        this.requestedBytes = requestedBytes;
    }

    public long currentBytes() {
        return currentBytes;
    }

    public long limitBytes() {
        return limitBytes;
    }

    public long requestedBytes() {
        return requestedBytes;
    }
}
