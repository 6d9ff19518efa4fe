package dev.handoff.replayer.internals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.protocol.PartIds;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.common.HandoffHeaders;
import dev.handoff.protocol.json.JsonCodec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Builds {@code handoff.parked} records: the original value byte for byte, keyed by node, with
 * headers ({@link HandoffHeaders}) saying why and where it came from, so {@code handoff parked redrive}
 * can put it back. Stateless.
 */
final class Parking {
    private Parking() {
    }

    static ProducerRecord<String, byte[]> record(String parkedTopic, String node, ConsumerRecord<String, byte[]> original,
                                                 String reason, String error, int attempts) {
        RecordHeaders headers = new RecordHeaders();
        HandoffHeaders.put(headers, HandoffHeaders.REASON, reason);
        if (error != null) {
            HandoffHeaders.putError(headers, error);
        }
        HandoffHeaders.put(headers, HandoffHeaders.ATTEMPTS, Integer.toString(attempts));
        HandoffHeaders.putSource(headers, original.topic(), original.partition(), original.offset());
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
}
