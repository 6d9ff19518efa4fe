package dev.handoff.replayer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.protocol.PartIds;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.json.JsonCodec;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Builds {@code handoff.parked} records: the original value byte for byte, keyed by node, with
 * headers saying why and where it came from, so {@code handoff parked redrive} can put it back.
 * Stateless.
 */
final class Parking {
    static final String REASON = "handoff.reason";
    static final String ERROR = "handoff.error";
    static final String ATTEMPTS = "handoff.attempts";
    static final String TOPIC = "handoff.topic";
    static final String PARTITION = "handoff.partition";
    static final String OFFSET = "handoff.offset";
    private static final int MAX_ERROR_CHARS = 1_000;

    private Parking() {
    }

    static ProducerRecord<String, byte[]> record(String parkedTopic, String node, ConsumerRecord<String, byte[]> original,
                                                 String reason, String error, int attempts) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(REASON, utf8(reason));
        if (error != null) {
            headers.add(ERROR, utf8(error.length() > MAX_ERROR_CHARS ? error.substring(0, MAX_ERROR_CHARS) : error));
        }
        headers.add(ATTEMPTS, utf8(Integer.toString(attempts)));
        headers.add(TOPIC, utf8(original.topic()));
        headers.add(PARTITION, utf8(Integer.toString(original.partition())));
        headers.add(OFFSET, utf8(Long.toString(original.offset())));
        return new ProducerRecord<>(parkedTopic, null, node, original.value(), headers);
    }

    /** The PartKey of an unreadable record when its key fields alone are readable, else null. */
    static PartKey partKeyOf(byte[] raw) {
        if (raw == null) {
            return null;
        }
        try {
            JsonNode tree = JsonCodec.mapper().readTree(raw);
            JsonNode liaison = tree.get("liaison");
            JsonNode group = tree.get("group");
            JsonNode shard = tree.get("shard");
            JsonNode partId = tree.get("partId");
            if (liaison == null || group == null || shard == null || partId == null || !shard.canConvertToInt()
                || !liaison.isTextual() || !group.isTextual() || !partId.isTextual()) {
                return null;
            }
            return new PartKey(liaison.asText(), group.asText(), shard.asInt(), PartIds.parseHex("partId", partId.asText()));
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
