package dev.handoff.protocol.json;

import dev.handoff.protocol.InvalidRecordException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde for a contract record. A null value (a tombstone) maps to null both ways; bytes that
 * are not a valid record raise {@link UnreadableRecordException} with the raw bytes and reason.
 */
public final class JsonSerde<T extends Record> implements Serde<T>, Serializer<T>, Deserializer<T> {
    private final JsonCodec<T> codec;

    public JsonSerde(JsonCodec<T> codec) {
        this.codec = codec;
    }

    public static <T extends Record> JsonSerde<T> of(Class<T> type) {
        return new JsonSerde<>(JsonCodec.of(type));
    }

    public JsonCodec<T> codec() {
        return codec;
    }

    @Override
    public byte[] serialize(String topic, T data) {
        return data == null ? null : codec.encode(data);
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            return codec.decode(data);
        } catch (InvalidRecordException e) {
            throw new UnreadableRecordException(e);
        }
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }

    @Override
    public void configure(java.util.Map<String, ?> configs, boolean isKey) {
        // nothing to configure: the record type fixes the codec
    }

    @Override
    public void close() {
        // stateless
    }
}
