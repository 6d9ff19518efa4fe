package dev.handoff.replayer.internals;

import dev.handoff.protocol.common.HandoffHeaders;
import dev.handoff.replayer.ReplayerSettings;

/** Values of the {@code handoff.reason} header of a parked record. */
final class ParkReason {
    /** The record's bytes are not a readable EnqueueRecord. */
    public static final String INVALID_RECORD = HandoffHeaders.INVALID_RECORD;
    /** A served file's size or CRC32C differs from the record. */
    public static final String CHECKSUM = "checksum";
    /** The part store served files the record does not list, or fewer than it lists. */
    public static final String SOURCE_MISMATCH = "source-mismatch";
    /** The part store answered NOT_FOUND: the bundle is gone from its source. */
    public static final String SOURCE_NOT_FOUND = "source-not-found";
    /** The data node runs a protocol or file-format version the sink was not configured for. */
    public static final String INCOMPATIBLE = "incompatible";
    /** The data node refused the bundle for a reason that no retry changes (an unknown file, a bad timestamp). */
    public static final String POISON = "poison";
    /** The record's {@code source} or {@code node} is outside {@code --allowed-sources} / {@code --allowed-nodes}. */
    public static final String NOT_ALLOWED = "not-allowed";
    /** The record failed {@link ReplayerSettings#retryBudget()} attempts. */
    public static final String RETRY_BUDGET = "retry-budget";

    private ParkReason() {
    }
}
