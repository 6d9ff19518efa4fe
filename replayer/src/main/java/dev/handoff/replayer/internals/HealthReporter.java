package dev.handoff.replayer.internals;

import dev.handoff.protocol.Health;
import dev.handoff.protocol.HealthEvent;
import dev.handoff.protocol.common.FirstWriteGuard;
import dev.handoff.protocol.common.HealthEvents;
import dev.handoff.protocol.common.KafkaSettings;
import dev.handoff.protocol.common.KafkaClientSupplier;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports a node DOWN on the health topic when this replayer cannot reach it, at most once per
 * {@link #MIN_INTERVAL} per node so an outage is not a flood. Idempotent, not transactional. Called
 * from delivery threads; thread-safe.
 */
final class HealthReporter implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(HealthReporter.class);
    static final Duration MIN_INTERVAL = Duration.ofSeconds(10);

    private final Producer<String, byte[]> producer;
    private final FirstWriteGuard<String, byte[]> guard;
    private final String topic;
    private final String observer;
    private final Clock clock;
    private final ConcurrentHashMap<String, Long> lastReported = new ConcurrentHashMap<>();

    HealthReporter(KafkaClientSupplier clients, KafkaSettings kafka, String topic, String observer, Clock clock) {
        Map<String, Object> config = kafka.producer(observer + "-health");
        // A missing health topic must not hold a delivery thread for a minute.
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        this.producer = clients.producer(config);
        // The health topic may be brand new (first start): its first write must not race another (KAFKA-15591).
        this.guard = new FirstWriteGuard<>(producer, new StringSerializer(), observer + "-health-first-writes");
        this.topic = topic;
        this.observer = observer;
        this.clock = clock;
    }

    void reportDown(String node, String why) {
        long now = clock.millis();
        Long before = lastReported.get(node);
        if (before != null && now - before < MIN_INTERVAL.toMillis()) {
            return;
        }
        lastReported.put(node, now);
        HealthEvent event = new HealthEvent(node, Health.DOWN, observer, now);
        if (HealthEvents.send(guard, topic, event)) {
            LOGGER.atWarn().addKeyValue("node", node).addKeyValue("why", why).log("node unreachable, reported DOWN");
        }
    }

    /** Forgets the last report so the next failure after a success is reported at once. */
    void reachable(String node) {
        lastReported.remove(node);
    }

    @Override
    public void close() {
        guard.close();
        producer.close(Duration.ofSeconds(5));
    }
}
