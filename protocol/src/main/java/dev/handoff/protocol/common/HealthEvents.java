package dev.handoff.protocol.common;

import dev.handoff.protocol.HealthEvent;
import dev.handoff.protocol.json.Codecs;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends health events to the health topic, for every role that observes nodes (the producer's monitor, the
 * replayer's DOWN reports). A health event is advisory and the next check or failure sends another, so a send
 * never blocks its caller on the acknowledgement and a failure is logged, never thrown.
 */
public final class HealthEvents {
    private static final Logger LOGGER = LoggerFactory.getLogger(HealthEvents.class);

    private HealthEvents() {
    }

    /**
     * Sends {@code event} keyed by its node through {@code guard} (the topic may be brand new: its first write must
     * not race another, KAFKA-15591). True when the record was handed to the guard (a refusal then arrives through
     * the acknowledgement and is logged); false when the send failed at once, which is logged too.
     */
    public static boolean send(FirstWriteGuard<String, byte[]> guard, String topic, HealthEvent event) {
        try {
            guard.send(new ProducerRecord<>(topic, event.node(), Codecs.HEALTH.encode(event))).whenComplete((md, e) -> {
                if (e != null) {
                    LOGGER.atWarn().addKeyValue("node", event.node()).addKeyValue("status", event.status())
                        .addKeyValue("error", e.toString()).log("could not publish a health event");
                }
            });
            return true;
        } catch (RuntimeException e) {
            LOGGER.atWarn().addKeyValue("node", event.node()).addKeyValue("status", event.status())
                .addKeyValue("error", e.toString()).log("could not send a health event");
            return false;
        }
    }
}
