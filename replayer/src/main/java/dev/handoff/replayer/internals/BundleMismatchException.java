package dev.handoff.replayer.internals;

import dev.handoff.protocol.HandoffException;

/**
 * The bytes a part store served do not match the enqueue record: a file's size or CRC32C differs
 * ({@link ParkReason#CHECKSUM}) or files arrive that the record does not list, out of order, or not
 * at all ({@link ParkReason#SOURCE_MISMATCH}). Not retriable: the record is parked.
 */
class BundleMismatchException extends HandoffException {
    private static final long serialVersionUID = 1L;
    private final String reason;

    public BundleMismatchException(String reason, String message) {
        super(message, false);
        this.reason = reason;
    }

    /** The park reason, {@link ParkReason#CHECKSUM} or {@link ParkReason#SOURCE_MISMATCH}. */
    public String reason() {
        return reason;
    }
}
