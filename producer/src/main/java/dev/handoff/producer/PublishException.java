package dev.handoff.producer;

import dev.handoff.protocol.HandoffException;

/**
 * Kafka did not acknowledge an enqueue record (broker down, not enough in-sync replicas, topic not
 * creatable). Retriable: the bundle stays stored and is published again at the next enqueue of the
 * same part or at start-up.
 */
public final class PublishException extends HandoffException {
    private static final long serialVersionUID = 1L;

    public PublishException(String message, Throwable cause) {
        super(message + ": " + cause, true, cause);
    }
}
