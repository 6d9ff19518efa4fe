package dev.handoff.protocol.common;

import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Makes every Kafka client a role uses, from the full client configuration the role has built, in the style of
 * Kafka Streams' {@code KafkaClientSupplier}: {@link #real()} in production; unit tests pass one that hands out
 * {@code MockProducer}/{@code MockConsumer}. Keys are strings, values byte arrays. Whoever receives a client owns
 * it and closes it.
 */
public interface KafkaClientSupplier {

    Producer<String, byte[]> producer(Map<String, Object> config);

    Consumer<String, byte[]> consumer(Map<String, Object> config);

    Admin admin(Map<String, Object> config);

    /** Real clients: {@link KafkaProducer}, {@link KafkaConsumer}, {@link Admin}. Stateless. */
    static KafkaClientSupplier real() {
        return Real.INSTANCE;
    }

    /** The real supplier's one instance. */
    enum Real implements KafkaClientSupplier {
        INSTANCE;

        @Override
        public Producer<String, byte[]> producer(Map<String, Object> config) {
            return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        }

        @Override
        public Consumer<String, byte[]> consumer(Map<String, Object> config) {
            return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        }

        @Override
        public Admin admin(Map<String, Object> config) {
            return Admin.create(config);
        }
    }
}
