package dev.handoff.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.protocol.Completion;
import dev.handoff.protocol.ControlCommand;
import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.FileEntry;
import dev.handoff.protocol.NodeStatus;
import dev.handoff.protocol.PartIds;
import dev.handoff.protocol.PartTypeEntry;
import dev.handoff.protocol.Throttle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JsonCodecRoundTripTest {
    private static final ObjectMapper PLAIN = new ObjectMapper();

    static Stream<Arguments> records() {
        return Stream.of(
            Arguments.of(Codecs.ENQUEUE, Samples.enqueue(1_800_000_000_000L)),
            Arguments.of(Codecs.ENQUEUE, Samples.enqueue(null)),
            Arguments.of(Codecs.HEALTH, Samples.health()),
            Arguments.of(Codecs.CONTROL, Samples.control()),
            Arguments.of(Codecs.COMPLETION, Samples.completion()),
            Arguments.of(Codecs.NODE_STATUS, Samples.nodeStatus()),
            Arguments.of(Codecs.NODE_STATUS, NodeStatus.unknown("dn:1", 0)),
            Arguments.of(Codecs.NODE_STATUS, Samples.nodeStatus().withThrottle(new Throttle(5L, null))),
            Arguments.of(Codecs.CONTROL, new ControlCommand("dn:1", ControlCommand.Action.THROTTLE, "alice", 3,
                new Throttle(null, 1_048_576L))),
            Arguments.of(Codecs.CONTROL, new ControlCommand("dn:1", ControlCommand.Action.CLEAR_THROTTLE, "alice", 3)),
            Arguments.of(Codecs.CONTROL, ControlCommand.retarget("dn:1", "dn:2", "alice", 3)),
            Arguments.of(Codecs.NODE_STATUS, Samples.nodeStatus().withRetargetTo("dn:2")),
            Arguments.of(Codecs.COMPLETION, retargeted(Samples.completion(), "dn:2")),
            Arguments.of(Codecs.RELEASE, Samples.release()));
    }

    @ParameterizedTest
    @MethodSource("records")
    <T extends Record> void shouldReadBackWhatItWrites(JsonCodec<T> codec, T record) throws Exception {
        // Given a valid record
        // When it is written and read back
        T back = codec.decode(codec.encode(record));

        // Then it is equal to the original
        assertThat(back).isEqualTo(record);
    }

    @ParameterizedTest
    @MethodSource("records")
    <T extends Record> void shouldWriteVersionOneFirst(JsonCodec<T> codec, T record) throws Exception {
        // Given a valid record
        // When it is written
        JsonNode json = PLAIN.readTree(codec.encode(record));

        // Then it is an object whose first field is "v": 1
        assertThat(json.isObject()).isTrue();
        assertThat(json.fieldNames().next()).isEqualTo("v");
        assertThat(json.get("v").isInt()).isTrue();
        assertThat(json.get("v").intValue()).isEqualTo(1);
    }

    @ParameterizedTest
    @MethodSource("records")
    <T extends Record> void shouldWriteTheBytesOfATreeWithVersionFirst(JsonCodec<T> codec, T record) throws Exception {
        // Given a valid record, and the bytes a tree with "v" first and then the record's fields gives
        ObjectNode tree = JsonCodec.MAPPER.createObjectNode();
        tree.put("v", JsonCodec.VERSION);
        tree.setAll((ObjectNode) JsonCodec.MAPPER.valueToTree(record));
        byte[] expected = JsonCodec.MAPPER.writeValueAsBytes(tree);

        // When it is written, Then the codec's bytes are the same (records written before read the same)
        assertThat(new String(codec.encode(record), StandardCharsets.UTF_8))
            .isEqualTo(new String(expected, StandardCharsets.UTF_8));
    }

    /** A record type with no component: its JSON is the version alone. */
    record NoFields() {
    }

    @Test
    void shouldWriteARecordWithoutComponentsAsTheVersionAlone() throws Exception {
        // Given the codec of a record type with no component
        JsonCodec<NoFields> codec = JsonCodec.of(NoFields.class);

        // When one is written, Then it is {"v":1} and reads back
        assertThat(new String(codec.encode(new NoFields()), StandardCharsets.UTF_8)).isEqualTo("{\"v\":1}");
        assertThat(codec.decode(codec.encode(new NoFields()))).isEqualTo(new NoFields());
    }

    @ParameterizedTest
    @MethodSource("records")
    <T extends Record> void shouldWriteOnlyTheRecordComponents(JsonCodec<T> codec, T record) throws Exception {
        // Given a valid record (some of which have derived accessors such as part() or deliverable())
        // When it is written
        JsonNode json = PLAIN.readTree(codec.encode(record));

        // Then the fields are exactly v and the record components
        List<String> expected = new ArrayList<>(List.of("v"));
        for (var c : record.getClass().getRecordComponents()) {
            expected.add(c.getName());
        }
        assertThat(json.fieldNames()).toIterable().containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void shouldWritePartIdAsSixteenHexDigitString() throws Exception {
        // Given records that carry a part id above 2^63
        // When they are written
        JsonNode enqueue = PLAIN.readTree(Codecs.ENQUEUE.encode(Samples.enqueue(null)));
        JsonNode completion = PLAIN.readTree(Codecs.COMPLETION.encode(Samples.completion()));
        JsonNode release = PLAIN.readTree(Codecs.RELEASE.encode(Samples.release()));

        // Then the part id is a JSON string of 16 lowercase hex digits, never a number
        for (JsonNode partId : List.of(enqueue.get("partId"), completion.at("/part/partId"), release.at("/part/partId"))) {
            assertThat(partId.isTextual()).as(partId.toString()).isTrue();
            assertThat(partId.textValue()).isEqualTo("fedcba9876543210").isEqualTo(PartIds.toHex(Samples.PART_ID));
        }
    }

    @Test
    void shouldWritePartKeyAsObjectAndFilesWithTheirFields() throws Exception {
        // Given a completion and an enqueue record
        // When they are written
        JsonNode completion = PLAIN.readTree(Codecs.COMPLETION.encode(Samples.completion()));
        JsonNode enqueue = PLAIN.readTree(Codecs.ENQUEUE.encode(Samples.enqueue(null)));

        // Then the contract's field names and JSON types are used
        assertThat(completion.at("/part/liaison").textValue()).isEqualTo("liaison-0");
        assertThat(completion.at("/part/shard").intValue()).isEqualTo(7);
        assertThat(completion.get("outcome").textValue()).isEqualTo("DELIVERED");
        assertThat(completion.get("offset").longValue()).isEqualTo(Long.MAX_VALUE);
        assertThat(enqueue.at("/types/0/files/0/crc32c").longValue()).isEqualTo(4294967295L);
        assertThat(enqueue.at("/types/0/meta/minTimestamp").longValue()).isEqualTo(1_700_000_000_000L);
        assertThat(enqueue.get("expiresAt").isNull()).isTrue();
    }

    @Test
    void shouldIgnoreUnknownFieldsAtEveryLevel() throws Exception {
        // Given a written record with extra fields at the top, in a type and in a file
        ObjectNode json = (ObjectNode) PLAIN.readTree(Codecs.ENQUEUE.encode(Samples.enqueue(5_000_000_000_000L)));
        json.put("addedInV1_5", "x");
        json.putObject("future").put("a", 1);
        ((ObjectNode) json.at("/types/0")).put("compression", "zstd");
        ((ObjectNode) json.at("/types/0/files/0")).putArray("chunks").add(1);

        // When it is read
        EnqueueRecord back = Codecs.ENQUEUE.decode(PLAIN.writeValueAsBytes(json));

        // Then the extra fields are ignored
        assertThat(back).isEqualTo(Samples.enqueue(5_000_000_000_000L));
    }

    @Test
    void shouldAcceptAbsentOrNullExpiresAt() throws Exception {
        // Given an enqueue record written with expiresAt null, and the same without the field
        ObjectNode json = (ObjectNode) PLAIN.readTree(Codecs.ENQUEUE.encode(Samples.enqueue(null)));
        byte[] withNull = PLAIN.writeValueAsBytes(json);
        json.remove("expiresAt");
        byte[] absent = PLAIN.writeValueAsBytes(json);

        // When / Then both read as no expiry
        assertThat(Codecs.ENQUEUE.decode(withNull).expiresAt()).isNull();
        assertThat(Codecs.ENQUEUE.decode(absent).expiresAt()).isNull();
        assertThat(Codecs.ENQUEUE.decode(absent)).isEqualTo(Samples.enqueue(null));
    }

    @Test
    void shouldAcceptAbsentOptionalStatusTimesAndMeta() throws Exception {
        // Given a node status without its optional times, and a type without meta
        String status = "{\"v\":1,\"node\":\"dn:1\",\"health\":\"UNKNOWN\",\"paused\":false,"
            + "\"pendingParts\":0,\"pendingBytes\":0,\"updatedAt\":5}";
        String enqueue = "{\"v\":1,\"node\":\"dn:1\",\"targets\":[\"dn:1\"],\"liaison\":\"l\",\"source\":\"l:2\","
            + "\"group\":\"g\",\"shard\":0,\"partId\":\"0000000000000001\",\"types\":[{\"type\":\"core\","
            + "\"files\":[{\"name\":\"f\",\"size\":3,\"crc32c\":1}]}],\"bytes\":3,\"enqueuedAt\":1}";

        // When they are read
        NodeStatus readStatus = Codecs.NODE_STATUS.decode(status.getBytes(StandardCharsets.UTF_8));
        EnqueueRecord readEnqueue = Codecs.ENQUEUE.decode(enqueue.getBytes(StandardCharsets.UTF_8));

        // Then the optional fields are null (or an empty meta)
        assertThat(readStatus).isEqualTo(NodeStatus.unknown("dn:1", 5));
        assertThat(readEnqueue.types()).containsExactly(
            new PartTypeEntry("core", List.of(new FileEntry("f", 3, 1)), Map.of()));
        assertThat(readEnqueue.expiresAt()).isNull();
        assertThat(readEnqueue.part().partId()).isEqualTo(1L);
    }

    @Test
    void shouldReadACommandWrittenBeforeThrottlesAndRefuseAThrottleWithoutLimits() throws Exception {
        // Given a control command as written before throttles existed, and a THROTTLE without its limits
        String old = "{\"v\":1,\"node\":\"dn:1\",\"action\":\"PAUSE\",\"by\":\"alice\",\"at\":7}";
        String bare = "{\"v\":1,\"node\":\"dn:1\",\"action\":\"THROTTLE\",\"by\":\"alice\",\"at\":7}";
        String empty = "{\"v\":1,\"node\":\"dn:1\",\"action\":\"THROTTLE\",\"by\":\"alice\",\"at\":7,\"throttle\":{}}";

        // When they are read
        ControlCommand read = Codecs.CONTROL.decode(old.getBytes(StandardCharsets.UTF_8));

        // Then the old one reads with no throttle, the others are refused naming the field
        assertThat(read).isEqualTo(new ControlCommand("dn:1", ControlCommand.Action.PAUSE, "alice", 7));
        assertThat(read.throttle()).isNull();
        assertThatThrownBy(() -> Codecs.CONTROL.decode(bare.getBytes(StandardCharsets.UTF_8)))
            .isInstanceOf(dev.handoff.protocol.InvalidRecordException.class).hasMessageContaining("throttle");
        assertThatThrownBy(() -> Codecs.CONTROL.decode(empty.getBytes(StandardCharsets.UTF_8)))
            .isInstanceOf(dev.handoff.protocol.InvalidRecordException.class).hasMessageContaining("throttle");
    }

    @Test
    void shouldKeepFileOrderAndRecordKeyFields() throws Exception {
        // Given an enqueue record
        EnqueueRecord record = Samples.enqueue(null);

        // When it is read back
        EnqueueRecord back = Codecs.ENQUEUE.decode(Codecs.ENQUEUE.encode(record));

        // Then files keep their order and the part key is intact
        assertThat(back.types().get(0).files()).extracting(FileEntry::name).containsExactly("primary.bin", "meta.json");
        assertThat(back.part()).isEqualTo(Samples.PART);
        assertThat(back.fileCount()).isEqualTo(3);
    }

    private static Completion retargeted(Completion c, String to) {
        return new Completion(c.node(), c.part(), Completion.Outcome.RETARGETED, c.replayer(), c.attempts(), c.topic(),
            c.partition(), c.offset(), c.at(), to);
    }

    @Test
    void shouldReadRecordsWrittenBeforeRetargetsAndRefuseARetargetWithoutItsNode() throws Exception {
        // Given a completion and a status as written before retargets existed, and a RETARGET command and a RETARGETED
        // completion that do not name the new node
        ObjectNode completion = (ObjectNode) PLAIN.readTree(Codecs.COMPLETION.encode(Samples.completion()));
        completion.remove("retargetedTo");
        byte[] oldCompletion = PLAIN.writeValueAsBytes(completion);
        ObjectNode status = (ObjectNode) PLAIN.readTree(Codecs.NODE_STATUS.encode(Samples.nodeStatus()));
        status.remove("retargetTo");
        byte[] oldStatus = PLAIN.writeValueAsBytes(status);
        String bare = "{\"v\":1,\"node\":\"dn:1\",\"action\":\"RETARGET\",\"by\":\"alice\",\"at\":7}";
        String self = "{\"v\":1,\"node\":\"dn:1\",\"action\":\"RETARGET\",\"by\":\"alice\",\"at\":7,\"to\":\"dn:1\"}";
        ObjectNode moved = (ObjectNode) PLAIN.readTree(oldCompletion);
        moved.put("outcome", "RETARGETED");

        // Then the old ones read with no new node; the others are refused naming the field and the rule
        assertThat(Codecs.COMPLETION.decode(oldCompletion).retargetedTo()).isNull();
        assertThat(Codecs.NODE_STATUS.decode(oldStatus).retargetTo()).isNull();
        assertThatThrownBy(() -> Codecs.CONTROL.decode(bare.getBytes(StandardCharsets.UTF_8)))
            .isInstanceOf(dev.handoff.protocol.InvalidRecordException.class).hasMessageContaining("to");
        assertThatThrownBy(() -> Codecs.CONTROL.decode(self.getBytes(StandardCharsets.UTF_8)))
            .isInstanceOf(dev.handoff.protocol.InvalidRecordException.class).hasMessageContaining("must differ from node");
        assertThatThrownBy(() -> Codecs.COMPLETION.decode(PLAIN.writeValueAsBytes(moved)))
            .isInstanceOf(dev.handoff.protocol.InvalidRecordException.class).hasMessageContaining("retargetedTo");
    }
}
