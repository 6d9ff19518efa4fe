package dev.handoff.topology;

import dev.handoff.topology.state.NodeEvent;
import java.util.Objects;

/**
 * What a {@link DecodeProcessor} forwards: the event of a readable input record, or an unreadable one
 * to quarantine with its original bytes (the record's headers say where it was read and why).
 */
sealed interface Decoded {

    /** A readable input record, keyed by its node downstream. */
    record Event(NodeEvent event) implements Decoded {
        public Event {
            Objects.requireNonNull(event, "event");
        }
    }

    /** An unreadable input record: its key and value exactly as read (either may be null). */
    record Unreadable(byte[] key, byte[] value) implements Decoded {
    }
}
