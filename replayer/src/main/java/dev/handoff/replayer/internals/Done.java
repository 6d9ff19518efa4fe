package dev.handoff.replayer.internals;

import dev.handoff.protocol.Completion;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What a completed record adds to the transaction that commits its offset: its completion (null
 * when the record is unreadable and has no PartKey) and, when parked, the parked record.
 */
record Done(Completion completion, ProducerRecord<String, byte[]> parked) {
}
