package dev.handoff.protocol.json;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.handoff.protocol.InvalidFieldException;
import dev.handoff.protocol.InvalidRecordException;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.util.List;

/**
 * Reads and writes one record type of the contract as JSON with {@code "v": 1}. Unknown fields are
 * ignored; missing required fields, wrong types, unknown versions and broken rules are refused with
 * an {@link InvalidRecordException} that names the field and keeps the raw bytes. Thread-safe.
 */
public final class JsonCodec<T extends Record> {
    /** The version every record is written with and the only one this build reads. */
    public static final int VERSION = 1;

    static final ObjectMapper MAPPER = JsonMapper.builder()
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        // Untyped numbers (part meta) read back as Long, the type writers use, so records round-trip equal.
        .enable(DeserializationFeature.USE_LONG_FOR_INTS)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        // ALLOW_COERCION_OF_SCALARS leaves number/boolean -> String on: "group": 12 would read as "12".
        .withCoercionConfig(LogicalType.Textual, c -> c
            .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
            .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
            .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
        .build();

    /** {@code {"v":1}} without its closing brace: the start of every record written. */
    private static final byte[] VERSION_FIELD = ("{\"v\":" + VERSION).getBytes(java.nio.charset.StandardCharsets.UTF_8);

    /** A record component as the required-field check needs it, found by reflection once per record type. */
    private record Component(String name, boolean optional, Class<?> record, Class<?> listElement) {
    }

    private static final ClassValue<Component[]> COMPONENTS = new ClassValue<>() {
        @Override
        protected Component[] computeValue(Class<?> recordType) {
            RecordComponent[] cs = recordType.getRecordComponents();
            Component[] out = new Component[cs.length];
            for (int i = 0; i < cs.length; i++) {
                RecordComponent c = cs[i];
                Class<?> element = null;
                if (List.class.isAssignableFrom(c.getType())
                    && ((ParameterizedType) c.getGenericType()).getActualTypeArguments()[0] instanceof Class<?> e
                    && e.isRecord()) {
                    element = e;
                }
                out[i] = new Component(c.getName(), c.isAnnotationPresent(OptionalField.class),
                    c.getType().isRecord() ? c.getType() : null, element);
            }
            return out;
        }
    };

    private final Class<T> type;

    private JsonCodec(Class<T> type) {
        this.type = type;
    }

    public static <T extends Record> JsonCodec<T> of(Class<T> type) {
        return new JsonCodec<>(type);
    }

    public Class<T> type() {
        return type;
    }

    /** The shared mapper, configured for the contract (for tools that print records). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * The record as one JSON object whose first field is {@code "v"}. Written in one pass: the record's own object
     * with {@code "v":1} put in front of its first field (the same bytes a tree with {@code v} first would give, at
     * a third of the cost).
     */
    public byte[] encode(T value) {
        byte[] body;
        try {
            body = MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + type.getSimpleName(), e);
        }
        if (body.length < 2 || body[0] != '{') {
            throw new IllegalStateException("cannot write " + type.getSimpleName() + ": not a JSON object");
        }
        boolean empty = body.length == 2;
        byte[] out = new byte[VERSION_FIELD.length + (empty ? 0 : 1) + body.length - 1];
        System.arraycopy(VERSION_FIELD, 0, out, 0, VERSION_FIELD.length);
        int at = VERSION_FIELD.length;
        if (!empty) {
            out[at++] = ',';
        }
        System.arraycopy(body, 1, out, at, body.length - 1);
        return out;
    }

    public T decode(byte[] raw) throws InvalidRecordException {
        if (raw == null) {
            throw new InvalidRecordException(type.getSimpleName() + ": no value (null)", null, null);
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(raw);
        } catch (IOException e) {
            throw new InvalidRecordException(type.getSimpleName() + ": not JSON: " + firstLine(e), raw, e);
        }
        if (tree == null || !tree.isObject()) {
            throw new InvalidRecordException(type.getSimpleName() + ": not a JSON object", raw, null);
        }
        JsonNode v = tree.get("v");
        if (v == null || !v.isIntegralNumber()) {
            throw new InvalidRecordException(type.getSimpleName() + ": field v: required, a whole number", raw, null);
        }
        if (v.asLong() != VERSION) {
            throw new InvalidRecordException(type.getSimpleName() + ": field v: unsupported version " + v.asText()
                + " (this build reads " + VERSION + ")", raw, null);
        }
        String missing = firstMissing(tree, type, "");
        if (missing != null) {
            throw new InvalidRecordException(type.getSimpleName() + ": field " + missing + ": required", raw, null);
        }
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (JacksonException | IllegalArgumentException e) {
            throw new InvalidRecordException(type.getSimpleName() + ": " + describe(e), raw, e);
        }
    }

    /** The path of the first required component that is absent or null, or null when none is. */
    private static String firstMissing(JsonNode node, Class<?> recordType, String path) {
        for (Component c : COMPONENTS.get(recordType)) {
            JsonNode value = node.get(c.name());
            if (value == null || value.isNull()) {
                if (!c.optional()) {
                    return path + c.name();
                }
                continue;
            }
            if (c.record() != null && value.isObject()) {
                String inner = firstMissing(value, c.record(), path + c.name() + ".");
                if (inner != null) {
                    return inner;
                }
            } else if (c.listElement() != null && value.isArray()) {
                for (int i = 0; i < value.size(); i++) {
                    if (value.get(i).isObject()) {
                        String inner = firstMissing(value.get(i), c.listElement(), path + c.name() + "[" + i + "].");
                        if (inner != null) {
                            return inner;
                        }
                    }
                }
            }
        }
        return null;
    }

    private static String describe(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InvalidFieldException) {
                return t.getMessage();
            }
        }
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            return "field " + path(m.getPath()) + ": " + firstLine(m);
        }
        return firstLine(e);
    }

    private static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                if (out.length() > 0) {
                    out.append('.');
                }
                out.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                out.append('[').append(r.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    private static String firstLine(Exception e) {
        String m = e instanceof JacksonException j ? j.getOriginalMessage() : e.getMessage();
        if (m == null) {
            return e.getClass().getSimpleName();
        }
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
