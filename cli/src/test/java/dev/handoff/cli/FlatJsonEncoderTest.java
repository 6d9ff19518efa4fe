package dev.handoff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

class FlatJsonEncoderTest {
    private final LoggerContext context = new LoggerContext();
    private final FlatJsonEncoder encoder = new FlatJsonEncoder();

    private LoggingEvent event(String message, Throwable t) {
        LoggingEvent e = new LoggingEvent("dev.handoff.cli.Test", context.getLogger("dev.handoff.replayer.X"), Level.WARN,
            message, t, null);
        e.setThreadName("handoff-replayer-poll");
        e.addKeyValuePair(new KeyValuePair("node", "dn-1:9420"));
        e.addKeyValuePair(new KeyValuePair("attempt", 3));
        e.addKeyValuePair(new KeyValuePair("level", "not the level"));
        return e;
    }

    @Test
    void shouldWriteOneLineWithTheKeyValuesAsFieldsOfTheirOwn() throws Exception {
        // Given a line with key-values, one named like a field of the encoder, and a message that needs escaping
        encoder.setContext(context);
        encoder.start();
        byte[] bytes = encoder.encode(event("delivery failed: \"quoted\"\nsecond line", null));

        // Then it is one line of JSON, the key-values flat, the colliding one renamed
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertThat(text).endsWith("\n").doesNotContain("\n\"").hasLineCount(1);
        JsonNode json = new ObjectMapper().readTree(text);
        assertThat(json.path("level").asText()).isEqualTo("WARN");
        assertThat(json.path("loggerName").asText()).isEqualTo("dev.handoff.replayer.X");
        assertThat(json.path("threadName").asText()).isEqualTo("handoff-replayer-poll");
        assertThat(json.path("formattedMessage").asText()).isEqualTo("delivery failed: \"quoted\"\nsecond line");
        assertThat(json.path("node").asText()).isEqualTo("dn-1:9420");
        assertThat(json.path("attempt").asText()).isEqualTo("3");
        assertThat(json.path("kv_level").asText()).isEqualTo("not the level");
        assertThat(json.path("timestamp").asLong()).isPositive();
        assertThat(json.has("throwable")).isFalse();
    }

    @Test
    void shouldCarryTheStackTraceAsText() throws Exception {
        encoder.setContext(context);
        encoder.start();
        JsonNode json = new ObjectMapper().readTree(encoder.encode(event("boom", new IllegalStateException("broken"))));
        assertThat(json.path("throwable").asText()).contains("java.lang.IllegalStateException: broken")
            .contains("FlatJsonEncoderTest");
    }
}
