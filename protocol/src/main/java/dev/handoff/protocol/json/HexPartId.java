package dev.handoff.protocol.json;

import com.fasterxml.jackson.annotation.JacksonAnnotationsInside;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.handoff.protocol.PartIds;
import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A part id component: a {@code long} in Java, 16 lowercase hex digits in JSON (a uint64 does not fit a JSON number). */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD})
@JacksonAnnotationsInside
@JsonSerialize(using = HexPartId.Writer.class)
@JsonDeserialize(using = HexPartId.Reader.class)
public @interface HexPartId {

    /** Writes a part id as its hex string. */
    final class Writer extends JsonSerializer<Long> {
        @Override
        public void serialize(Long value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeString(PartIds.toHex(value));
        }
    }

    /** Reads a part id from its hex string; a number or any other shape is refused. */
    final class Reader extends JsonDeserializer<Long> {
        @Override
        public Long deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                return (Long) ctxt.handleUnexpectedToken(Long.class, p.currentToken(), p,
                    "partId: " + PartIds.RULE + " in a JSON string");
            }
            return PartIds.parseHex("partId", p.getText());
        }
    }
}
