package dev.handoff.protocol.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.protocol.InvalidFieldException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class QuarantineTest {

    @Test
    void shouldSayWhereFromAndWhyAfterTheOriginalHeadersWhenQuarantining() {
        // Given an input record that carried a header of its own, one of them named like ours
        Headers original = new RecordHeaders();
        original.add("trace", "t-1".getBytes(StandardCharsets.UTF_8));
        HandoffHeaders.put(original, HandoffHeaders.REASON, "forged");

        // When its quarantine headers are built
        Headers headers = Quarantine.headers(original, Quarantine.Input.COMPLETIONS, "handoff.completions", 3, 41,
            "Completion: field node: bad");

        // Then the original ones are kept and ours are the last of their names
        assertThat(HandoffHeaders.text(headers, "trace")).isEqualTo("t-1");
        assertThat(HandoffHeaders.text(headers, HandoffHeaders.INPUT)).isEqualTo("completions");
        assertThat(HandoffHeaders.text(headers, HandoffHeaders.REASON)).isEqualTo(HandoffHeaders.INVALID_RECORD);
        assertThat(HandoffHeaders.text(headers, HandoffHeaders.ERROR)).isEqualTo("Completion: field node: bad");
        assertThat(HandoffHeaders.text(headers, HandoffHeaders.TOPIC)).isEqualTo("handoff.completions");
        assertThat(HandoffHeaders.text(headers, HandoffHeaders.PARTITION)).isEqualTo("3");
        assertThat(HandoffHeaders.text(headers, HandoffHeaders.OFFSET)).isEqualTo("41");
        assertThat(HandoffHeaders.text(original, HandoffHeaders.INPUT)).as("the original is not changed").isNull();
    }

    @Test
    void shouldCutALongErrorWhenWritingIt() {
        // Given a detail longer than the limit
        String error = "x".repeat(HandoffHeaders.MAX_ERROR_CHARS + 50);

        // When it is written
        Headers headers = HandoffHeaders.putError(new RecordHeaders(), error);

        // Then it is cut to the limit
        assertThat(HandoffHeaders.text(headers, HandoffHeaders.ERROR)).hasSize(HandoffHeaders.MAX_ERROR_CHARS);
    }

    @Test
    void shouldReadInputLabelsAndRefuseOthersWhenParsing() {
        // Given / When / Then every input reads back from its label; anything else names the field and the choices
        for (Quarantine.Input i : Quarantine.Input.values()) {
            assertThat(Quarantine.Input.of(i.label())).isEqualTo(i);
        }
        assertThatThrownBy(() -> Quarantine.Input.of("enqueue")).isInstanceOf(InvalidFieldException.class)
            .hasMessageContaining("input").hasMessageContaining("health, control, completions");
    }
}
