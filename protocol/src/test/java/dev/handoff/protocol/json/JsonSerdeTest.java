package dev.handoff.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.handoff.protocol.Completion;
import dev.handoff.protocol.HealthEvent;
import dev.handoff.protocol.InvalidRecordException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class JsonSerdeTest {
    private final JsonSerde<HealthEvent> serde = new JsonSerde<>(Codecs.HEALTH);

    @Test
    void shouldMapTombstoneToNullBothWays() {
        // Given a tombstone (no value)
        // When / Then it stays null in both directions
        assertThat(serde.deserialize("handoff.health", null)).isNull();
        assertThat(serde.serialize("handoff.health", null)).isNull();
    }

    @Test
    void shouldReadBackWhatItWritesThroughKafkaInterfaces() {
        // Given a serde used through Kafka's Serde interface, as clients and Streams use it
        Serde<Completion> completions = JsonSerde.of(Completion.class);
        completions.configure(Map.of(), false);

        // When a record is serialized and deserialized
        byte[] bytes = completions.serializer().serialize("handoff.completions", Samples.completion());
        Completion back = completions.deserializer().deserialize("handoff.completions", bytes);

        // Then it is the same record, written with the codec's bytes
        assertThat(back).isEqualTo(Samples.completion());
        assertThat(bytes).isEqualTo(Codecs.COMPLETION.encode(Samples.completion()));
        completions.close();
    }

    @Test
    void shouldRaiseSerializationExceptionWithRawBytesAndReason() {
        // Given bytes that are not a health event
        byte[] raw = "{\"v\":1,\"node\":\"../x\"}".getBytes(StandardCharsets.UTF_8);

        // When they are deserialized
        Throwable thrown = catchThrowable(() -> serde.deserialize("handoff.health", raw));

        // Then a Kafka SerializationException carries the bytes, the reason and the codec's exception
        assertThat(thrown).isInstanceOf(UnreadableRecordException.class).isInstanceOf(SerializationException.class);
        UnreadableRecordException e = (UnreadableRecordException) thrown;
        assertThat(e.raw()).isEqualTo(raw);
        assertThat(e.reason()).isEqualTo("HealthEvent: field status: required");
        assertThat(e.getMessage()).isEqualTo(e.reason());
        assertThat(e.invalidRecord()).isInstanceOf(InvalidRecordException.class).hasMessageContaining("status");
    }

    @Test
    void shouldRaiseSerializationExceptionForBrokenRule() {
        // Given a well-formed event whose node is not an address
        byte[] raw = "{\"v\":1,\"node\":\"../x\",\"status\":\"UP\",\"observer\":\"o\",\"at\":1}".getBytes(StandardCharsets.UTF_8);

        // When it is deserialized
        Throwable thrown = catchThrowable(() -> serde.deserialize("handoff.health", raw));

        // Then the reason names the field and value
        assertThat(thrown).isInstanceOf(UnreadableRecordException.class);
        assertThat(((UnreadableRecordException) thrown).reason()).contains("node \"../x\"");
        assertThat(((UnreadableRecordException) thrown).raw()).isEqualTo(raw);
    }

    @Test
    void shouldExposeItsCodec() {
        // Given a serde made for a record type
        // When / Then its codec reads that type
        assertThat(JsonSerde.of(HealthEvent.class).codec().type()).isEqualTo(HealthEvent.class);
        assertThat(serde.codec()).isSameAs(Codecs.HEALTH);
    }
}
