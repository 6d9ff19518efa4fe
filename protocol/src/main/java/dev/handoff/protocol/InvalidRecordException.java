package dev.handoff.protocol;

/**
 * A record that cannot be read. Keeps the raw bytes and the reason so the caller can park it
 * (never drop it). Not retriable: the same bytes never become readable.
 */
public class InvalidRecordException extends HandoffException {
    private static final long serialVersionUID = 1L;
    private final byte[] raw;
    private final String reason;

    public InvalidRecordException(String reason, byte[] raw, Throwable cause) {
        super("unreadable record: " + reason, false, cause);
        this.reason = reason;
        this.raw = raw == null ? new byte[0] : raw.clone();
    }

    /** The bytes exactly as they were read. */
    public byte[] raw() {
        return raw.clone();
    }

    /** Why the bytes are not a valid record, naming the field where one is at fault. */
    public String reason() {
        return reason;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + ": " + reason + " (" + raw.length + " bytes)";
    }
}
