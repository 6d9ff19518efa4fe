package dev.handoff.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.protocol.InvalidRecordException;
import dev.handoff.protocol.PartIds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every unreadable record is refused with the raw bytes and a reason that names the field at fault. */
class JsonCodecRefusalTest {
    private static final ObjectMapper PLAIN = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "{\"v\":1,", "not json", "{\"v\":1}{\"v\":1}", "{\"v\":1} x", "\u0000"})
    void shouldRefuseBytesThatAreNotOneJsonValue(String text) {
        // Given bytes that are not one JSON document
        byte[] raw = text.getBytes(StandardCharsets.UTF_8);

        // When / Then they are refused, keeping the bytes
        assertThat(refused(Codecs.HEALTH, raw).reason()).startsWith("HealthEvent: not");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1,2]", "\"x\"", "42", "null", "true"})
    void shouldRefuseJsonThatIsNotAnObject(String text) {
        // Given JSON that is not an object
        byte[] raw = text.getBytes(StandardCharsets.UTF_8);

        // When / Then it is refused as such
        assertThat(refused(Codecs.CONTROL, raw).reason()).contains("not a JSON object");
    }

    @Test
    void shouldRefuseMissingNullOrNonIntegerVersion() {
        // Given records without v, with v null, as a string and as a fraction
        for (String v : new String[] {null, "null", "\"1\"", "1.0"}) {
            byte[] raw = mutate(Codecs.HEALTH.encode(Samples.health()), json -> {
                json.remove("v");
                if (v != null) {
                    json.set("v", readTree(v));
                }
            });

            // When / Then each is refused naming v
            assertThat(refused(Codecs.HEALTH, raw).reason()).as(v).contains("field v: required");
        }
    }

    @Test
    void shouldRefuseUnsupportedVersion() {
        // Given a record of version 2
        byte[] raw = mutate(Codecs.RELEASE.encode(Samples.release()), json -> json.put("v", 2));

        // When / Then it is refused as an unsupported version
        assertThat(refused(Codecs.RELEASE, raw).reason()).contains("field v").contains("unsupported version 2");
    }

    @Test
    void shouldRefuseMissingOrNullRequiredField() {
        // Given an enqueue record without source, and one with source null
        byte[] absent = mutate(enqueueJson(), json -> json.remove("source"));
        byte[] nulled = mutate(enqueueJson(), json -> json.putNull("source"));

        // When / Then both are refused naming source
        assertThat(refused(Codecs.ENQUEUE, absent).reason()).isEqualTo("EnqueueRecord: field source: required");
        assertThat(refused(Codecs.ENQUEUE, nulled).reason()).isEqualTo("EnqueueRecord: field source: required");
    }

    @Test
    void shouldRefuseMissingPrimitiveInsteadOfDefaultingToZero() {
        // Given records without a primitive field
        byte[] noShard = mutate(enqueueJson(), json -> json.remove("shard"));
        byte[] noPaused = mutate(Codecs.NODE_STATUS.encode(Samples.nodeStatus()), json -> json.remove("paused"));

        // When / Then they are refused naming the field
        assertThat(refused(Codecs.ENQUEUE, noShard).reason()).contains("field shard: required");
        assertThat(refused(Codecs.NODE_STATUS, noPaused).reason()).contains("field paused: required");
    }

    @Test
    void shouldRefuseMissingNestedFieldWithItsPath() {
        // Given an enqueue record whose first file has no crc32c, and a completion whose part has no partId
        byte[] noCrc = mutate(enqueueJson(), json -> ((ObjectNode) json.at("/types/0/files/0")).remove("crc32c"));
        byte[] noPartId = mutate(Codecs.COMPLETION.encode(Samples.completion()),
            json -> ((ObjectNode) json.get("part")).remove("partId"));

        // When / Then the reason gives the path
        assertThat(refused(Codecs.ENQUEUE, noCrc).reason()).contains("field types[0].files[0].crc32c: required");
        assertThat(refused(Codecs.COMPLETION, noPartId).reason()).contains("field part.partId: required");
    }

    @Test
    void shouldRefusePartIdAsNumber() {
        // Given a part id written as a JSON number
        byte[] raw = mutate(enqueueJson(), json -> json.put("partId", 12345));

        // When / Then it is refused naming partId
        assertThat(refused(Codecs.ENQUEUE, raw).reason()).contains("partId").contains(PartIds.RULE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"123456789abcdef", "0123456789ABCDEF", "0x23456789abcdef", "00000000000000001", ""})
    void shouldRefusePartIdThatIsNotSixteenLowercaseHexDigits(String partId) {
        // Given a part id string of the wrong shape
        byte[] raw = mutate(enqueueJson(), json -> json.put("partId", partId));

        // When / Then it is refused naming partId and the rule
        assertThat(refused(Codecs.ENQUEUE, raw).reason()).contains("partId \"" + partId + "\"").contains(PartIds.RULE);
    }

    @Test
    void shouldRefuseFileNameThatIsAPath() {
        // Given a file name that climbs out of the part directory
        byte[] raw = mutate(enqueueJson(), json -> ((ObjectNode) json.at("/types/0/files/0")).put("name", "../etc/passwd"));

        // When / Then it is refused naming the field and value
        assertThat(refused(Codecs.ENQUEUE, raw).reason()).contains("files.name \"../etc/passwd\"");
    }

    @Test
    void shouldRefuseGroupThatIsDotDot() {
        // Given a group of ".."
        byte[] raw = mutate(enqueueJson(), json -> json.put("group", ".."));

        // When / Then it is refused naming group
        assertThat(refused(Codecs.ENQUEUE, raw).reason()).contains("group \"..\"");
    }

    @Test
    void shouldRefuseNegativeSize() {
        // Given a file of negative size
        byte[] raw = mutate(enqueueJson(), json -> ((ObjectNode) json.at("/types/0/files/0")).put("size", -1));

        // When / Then it is refused naming the size
        assertThat(refused(Codecs.ENQUEUE, raw).reason()).contains("files.size -1");
    }

    @Test
    void shouldRefuseCrc32cAboveUnsigned32Bits() {
        // Given a CRC32C one above the largest unsigned 32-bit number, and a negative one
        byte[] tooLarge = mutate(enqueueJson(), json -> ((ObjectNode) json.at("/types/0/files/0")).put("crc32c", 4294967296L));
        byte[] negative = mutate(enqueueJson(), json -> ((ObjectNode) json.at("/types/0/files/0")).put("crc32c", -1));

        // When / Then both are refused naming crc32c
        assertThat(refused(Codecs.ENQUEUE, tooLarge).reason()).contains("files.crc32c 4294967296");
        assertThat(refused(Codecs.ENQUEUE, negative).reason()).contains("files.crc32c -1");
    }

    @Test
    void shouldRefuseBytesNotEqualToSumOfSizes() {
        // Given a record whose bytes is one more than its files hold
        byte[] raw = mutate(enqueueJson(), json -> json.put("bytes", 1025));

        // When / Then it is refused naming bytes and the sum
        assertThat(refused(Codecs.ENQUEUE, raw).reason()).contains("bytes 1025").contains("(1024)");
    }

    @Test
    void shouldRefuseTargetsWithoutNode() {
        // Given targets that do not list the record's node
        byte[] raw = mutate(enqueueJson(), json -> json.putArray("targets").add("other:1"));

        // When / Then it is refused naming targets
        assertThat(refused(Codecs.ENQUEUE, raw).reason()).contains("targets").contains("must contain node datanode-1:17912");
    }

    @Test
    void shouldRefuseInvalidNodeAddress() {
        // Given a health event for an address without a port
        byte[] raw = mutate(Codecs.HEALTH.encode(Samples.health()), json -> json.put("node", "10.0.0.1"));

        // When / Then it is refused naming node
        assertThat(refused(Codecs.HEALTH, raw).reason()).contains("node \"10.0.0.1\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"12\"", "12.5", "12.0", "true", "[12]", "{}"})
    void shouldRefuseSizeThatIsNotAWholeJsonNumber(String size) {
        // Given a file size of the wrong JSON type (no coercion from strings, fractions or booleans)
        byte[] raw = mutate(enqueueJson(), json -> ((ObjectNode) json.at("/types/0/files/0")).set("size", readTree(size)));

        // When / Then it is refused naming the field by its path
        assertThat(refused(Codecs.ENQUEUE, raw).reason()).as(size).contains("types[0].files[0].size");
    }

    @ParameterizedTest
    @ValueSource(strings = {"12", "1.5", "true", "[\"g\"]", "{}"})
    void shouldRefuseOtherJsonTypeWhereTextIsExpected(String group) {
        // Given a group written as a number, a boolean, an array or an object
        byte[] raw = mutate(enqueueJson(), json -> json.set("group", readTree(group)));

        // When / Then it is refused naming group, not coerced to text
        assertThat(refused(Codecs.ENQUEUE, raw).reason()).as(group).contains("field group");
    }

    @Test
    void shouldRefuseUnknownOrUnexpectedEnumValue() {
        // Given an unknown status, a lower-case one, an ordinal, and UNKNOWN which only the topology may use
        for (String status : new String[] {"\"SIDEWAYS\"", "\"up\"", "0", "\"UNKNOWN\""}) {
            byte[] raw = mutate(Codecs.HEALTH.encode(Samples.health()), json -> json.set("status", readTree(status)));

            // When / Then each is refused naming status
            assertThat(refused(Codecs.HEALTH, raw).reason()).as(status).contains("status");
        }
    }

    @Test
    void shouldRefuseReleaseForAnotherLiaison() {
        // Given a release whose liaison differs from its part's
        byte[] raw = mutate(Codecs.RELEASE.encode(Samples.release()), json -> json.put("liaison", "liaison-1"));

        // When / Then it is refused naming liaison
        assertThat(refused(Codecs.RELEASE, raw).reason()).contains("liaison \"liaison-1\"");
    }

    @Test
    void shouldRefuseExpiryBeforeEnqueue() {
        // Given an expiry before the enqueue time
        byte[] raw = mutate(enqueueJson(), json -> json.put("expiresAt", 1));

        // When / Then it is refused naming expiresAt
        assertThat(refused(Codecs.ENQUEUE, raw).reason()).contains("expiresAt 1");
    }

    @Test
    void shouldRefuseNullBytesWithEmptyRaw() {
        // Given no bytes at all
        // When / Then the record is refused and its raw bytes are empty
        InvalidRecordException e = (InvalidRecordException) catchThrowable(() -> Codecs.HEALTH.decode(null));
        assertThat(e.reason()).contains("null");
        assertThat(e.raw()).isEmpty();
        assertThat(e.retriable()).isFalse();
    }

    @Test
    void shouldNotLetCallerChangeTheKeptBytes() {
        // Given a refused record
        byte[] raw = "{".getBytes(StandardCharsets.UTF_8);
        InvalidRecordException e = refused(Codecs.HEALTH, raw);

        // When the caller changes its own array and the returned copy
        raw[0] = 'x';
        e.raw()[0] = 'y';

        // Then the exception still holds the bytes as read
        assertThat(e.raw()).containsExactly('{');
    }

    /** Decodes bytes that must be refused; checks the exception keeps exactly those bytes. */
    private static InvalidRecordException refused(JsonCodec<?> codec, byte[] raw) {
        byte[] copy = raw.clone();
        Throwable thrown = catchThrowable(() -> codec.decode(raw));
        assertThat(thrown).isInstanceOf(InvalidRecordException.class);
        InvalidRecordException e = (InvalidRecordException) thrown;
        assertThat(e.raw()).isEqualTo(copy);
        assertThat(e.getMessage()).isEqualTo("unreadable record: " + e.reason());
        assertThat(e.reason()).startsWith(codec.type().getSimpleName() + ": ");
        assertThat(e.retriable()).isFalse();
        return e;
    }

    private static byte[] enqueueJson() {
        return Codecs.ENQUEUE.encode(Samples.enqueue(null));
    }

    private static byte[] mutate(byte[] encoded, Consumer<ObjectNode> change) {
        try {
            ObjectNode json = (ObjectNode) PLAIN.readTree(encoded);
            change.accept(json);
            return PLAIN.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode readTree(String json) {
        try {
            return PLAIN.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
