package dev.handoff.replayer.internals;

import dev.handoff.replayer.ReplayerSettings;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;

/** How the poll thread configures its two Kafka clients, on top of the operator's client properties. */
final class ClientConfigs {
    private ClientConfigs() {
    }

    /** The group consumer's config. */
    static Map<String, Object> groupConsumer(ReplayerSettings settings) {
        Map<String, Object> config = settings.kafka().consumer(settings.groupId(), settings.replayerName());
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        config.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
        // A node topic created later is found within this time.
        config.putIfAbsent(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 5_000);
        return config;
    }

    /** The transactional producer's config. */
    static Map<String, Object> transactionalProducer(ReplayerSettings settings) {
        Map<String, Object> config = settings.kafka().producer(settings.transactionalId());
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, settings.transactionalId());
        // Bounds every blocking transaction step, so the poll thread never waits the client's default 60 s twice.
        config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, settings.commitTimeout().toMillis());
        return config;
    }
}
