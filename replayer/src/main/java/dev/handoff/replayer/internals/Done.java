package dev.handoff.replayer.internals;

import dev.handoff.protocol.Completion;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What a completed record adds to the transaction that commits its offset: its completion (null
 * when the record is unreadable and has no PartKey) and the record it produces, if any: its parked copy when
 * parked, its copy for the node that replaces its own when retargeted.
 */
record Done(Completion completion, ProducerRecord<String, byte[]> produced) {
}
