package dev.handoff.replayer;

import dev.handoff.replayer.internals.DefaultReplayerClientSupplier;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * Makes every Kafka client the replayer uses, from the full client config it has built (as Kafka Streams'
 * {@code KafkaClientSupplier}): the default makes real clients; unit tests pass one that hands out
 * {@code MockProducer}/{@code MockConsumer}. Whoever receives a client owns and closes it.
 */
public interface ReplayerClientSupplier {

    /** A producer: the transactional one of the poll thread, and the health reporter's. */
    Producer<String, byte[]> producer(Map<String, Object> config);

    /** A consumer: the group consumer of the poll thread, and the node-status reader's. */
    Consumer<String, byte[]> consumer(Map<String, Object> config);

    /** The admin client that advances the node topics' log start. */
    Admin admin(Map<String, Object> config);

    /** Real Kafka clients. */
    static ReplayerClientSupplier kafka() {
        return DefaultReplayerClientSupplier.INSTANCE;
    }
}
