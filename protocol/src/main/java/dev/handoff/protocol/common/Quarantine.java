package dev.handoff.protocol.common;

import dev.handoff.protocol.InvalidFieldException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The {@code <prefix>.quarantine} topic: every health, control and completion record the topology could
 * not read, with its original key and value bytes and headers saying where it was read and why it was
 * refused. Written by the topology (in its exactly-once transaction), read by {@code handoff quarantine list}.
 * Stateless.
 */
public final class Quarantine {

    /** The inputs whose unreadable records are quarantined ({@link HandoffHeaders#INPUT} values). */
    public enum Input {
        HEALTH, CONTROL, COMPLETIONS;

        /** The header value: the input topic's name without the prefix. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The input of a label, refusing anything else with the list of labels. */
        public static Input of(String label) {
            for (Input i : values()) {
                if (i.label().equals(label)) {
                    return i;
                }
            }
            throw new InvalidFieldException("input", label, "one of "
                + Arrays.stream(values()).map(Input::label).collect(Collectors.joining(", ")));
        }
    }

    private Quarantine() {
    }

    /**
     * The headers of a quarantined copy: the original record's headers, then {@link HandoffHeaders#INPUT},
     * {@link HandoffHeaders#REASON} {@code invalid-record}, {@link HandoffHeaders#ERROR} (the decoder's
     * reason) and the source position. The original's are kept so nothing about the input is lost; ours come
     * last, so {@code lastHeader} reads them even when the original carried headers of the same names.
     */
    public static Headers headers(Headers original, Input input, String topic, int partition, long offset, String error) {
        Headers out = new RecordHeaders(original == null ? new Header[0] : original.toArray());
        HandoffHeaders.put(out, HandoffHeaders.INPUT, input.label());
        HandoffHeaders.put(out, HandoffHeaders.REASON, HandoffHeaders.INVALID_RECORD);
        HandoffHeaders.putError(out, error);
        return HandoffHeaders.putSource(out, topic, partition, offset);
    }
}
