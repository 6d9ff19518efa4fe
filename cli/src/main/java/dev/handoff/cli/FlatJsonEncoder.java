package dev.handoff.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import org.slf4j.event.KeyValuePair;

/**
 * {@code --log-format json}: one JSON object per line with {@code timestamp} (epoch ms), {@code level},
 * {@code threadName}, {@code loggerName}, {@code formattedMessage}, each key-value the line was logged with
 * ({@code node}, {@code part}, {@code attempt}, ...) as a field of its own, and {@code throwable} (the stack trace
 * as text) when there is one. Logback's own {@code JsonEncoder} puts the key-values in an array of one-field
 * objects, which log pipelines must flatten first; this writes them flat, with the same names for the rest. A
 * key that collides with one of those names is written as {@code kv_<key>}. Thread-safe (no state but the factory).
 */
public final class FlatJsonEncoder extends EncoderBase<ILoggingEvent> {
    private static final JsonFactory JSON = new JsonFactory();
    private static final Set<String> RESERVED = Set.of("timestamp", "level", "threadName", "loggerName", "formattedMessage",
        "throwable");
    private static final byte[] NONE = new byte[0];

    @Override
    public byte[] headerBytes() {
        return NONE;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("timestamp", event.getTimeStamp());
            g.writeStringField("level", event.getLevel().toString());
            g.writeStringField("threadName", event.getThreadName());
            g.writeStringField("loggerName", event.getLoggerName());
            g.writeStringField("formattedMessage", event.getFormattedMessage());
            if (event.getKeyValuePairs() != null) {
                for (KeyValuePair kv : event.getKeyValuePairs()) {
                    String key = RESERVED.contains(kv.key) ? "kv_" + kv.key : kv.key;
                    g.writeStringField(key, String.valueOf(kv.value));
                }
            }
            if (event.getThrowableProxy() != null) {
                g.writeStringField("throwable", ThrowableProxyUtil.asString(event.getThrowableProxy()));
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a log line as JSON", e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    @Override
    public byte[] footerBytes() {
        return NONE;
    }
}
