package dev.handoff.protocol;

import dev.handoff.protocol.json.OptionalField;

/**
 * An operator's replay rate limits for one node, set live with {@code handoff throttle}. A null limit means
 * "the replayer's startup option"; 0 means unlimited.
 */
public record Throttle(@OptionalField Long maxPartsPerSec, @OptionalField Long maxBytesPerSec) {

    public Throttle {
        if (maxPartsPerSec == null && maxBytesPerSec == null) {
            throw new InvalidFieldException("throttle", "{}", "needs maxPartsPerSec or maxBytesPerSec");
        }
        if (maxPartsPerSec != null) {
            Names.nonNegative("maxPartsPerSec", maxPartsPerSec);
        }
        if (maxBytesPerSec != null) {
            Names.nonNegative("maxBytesPerSec", maxBytesPerSec);
        }
    }

    /** The parts-per-second limit in force: this throttle's, or {@code startup} when it leaves it unset. */
    public long partsPerSec(long startup) {
        return maxPartsPerSec == null ? startup : maxPartsPerSec;
    }

    /** The bytes-per-second limit in force: this throttle's, or {@code startup} when it leaves it unset. */
    public long bytesPerSec(long startup) {
        return maxBytesPerSec == null ? startup : maxBytesPerSec;
    }
}
