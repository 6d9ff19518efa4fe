package dev.handoff.protocol.common;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The headers handoff puts on the records it keeps for an operator ({@code parked}, {@code quarantine}):
 * one definition of their names for the roles that write them and the CLI that reads them. Every value
 * is a UTF-8 string. Stateless.
 */
public final class HandoffHeaders {
    /** Why the record was kept: a short code such as {@link #INVALID_RECORD}. */
    public static final String REASON = "handoff.reason";
    /** The detail behind the reason (decoder message, file and CRC, last error), at most {@link #MAX_ERROR_CHARS}. */
    public static final String ERROR = "handoff.error";
    /** Delivery attempts made before a record was parked. */
    public static final String ATTEMPTS = "handoff.attempts";
    /** Topic the kept record was read from. */
    public static final String TOPIC = "handoff.topic";
    /** Partition the kept record was read from. */
    public static final String PARTITION = "handoff.partition";
    /** Offset the kept record was read at. */
    public static final String OFFSET = "handoff.offset";
    /** Which of the topology's inputs a quarantined record came from ({@link Quarantine.Input#label()}). */
    public static final String INPUT = "handoff.input";
    /** On a redrive marker in {@code parked}: {@code partition:offset} of the parked record it re-drove. */
    public static final String REDRIVEN = "handoff.redriven";

    /** On a record a replayer moved to another node's topic ({@code handoff retarget}): the node it was for. */
    public static final String RETARGETED_FROM = "handoff.retargeted-from";

    /** The {@link #REASON} of bytes that are not a readable record of their topic. */
    public static final String INVALID_RECORD = "invalid-record";
    /** Longest {@link #ERROR} value kept; longer details are cut. */
    public static final int MAX_ERROR_CHARS = 1_000;

    private HandoffHeaders() {
    }

    /** Appends {@code name} with {@code value} as UTF-8. */
    public static Headers put(Headers headers, String name, String value) {
        return headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Appends {@link #ERROR}, cut to {@link #MAX_ERROR_CHARS}. */
    public static Headers putError(Headers headers, String error) {
        return put(headers, ERROR, error.length() > MAX_ERROR_CHARS ? error.substring(0, MAX_ERROR_CHARS) : error);
    }

    /** Appends {@link #TOPIC}, {@link #PARTITION} and {@link #OFFSET}: where the kept record was read. */
    public static Headers putSource(Headers headers, String topic, int partition, long offset) {
        put(headers, TOPIC, topic);
        put(headers, PARTITION, Integer.toString(partition));
        return put(headers, OFFSET, Long.toString(offset));
    }

    /** The last value of {@code name} as text, or null when the record has no such header (or a null value). */
    public static String text(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
