package dev.handoff.protocol.json;

import dev.handoff.protocol.InvalidRecordException;
import org.apache.kafka.common.errors.SerializationException;

/**
 * What a Kafka {@link JsonSerde} deserializer throws for a record it cannot read: a Kafka
 * {@link SerializationException} (so consumers and Kafka Streams handlers see the usual type) that
 * carries the raw bytes and the reason through its {@link InvalidRecordException} cause.
 */
public class UnreadableRecordException extends SerializationException {
    private static final long serialVersionUID = 1L;

    public UnreadableRecordException(InvalidRecordException cause) {
        super(cause.reason(), cause);
    }

    public InvalidRecordException invalidRecord() {
        return (InvalidRecordException) getCause();
    }

    public byte[] raw() {
        return invalidRecord().raw();
    }

    public String reason() {
        return invalidRecord().reason();
    }
}
