package dev.handoff.producer;

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
 * Makes the producer role's Kafka clients from their configuration, in the style of Kafka Streams'
 * {@code KafkaClientSupplier}: {@link #REAL} in production, MockProducer/MockConsumer in unit tests.
 * Whoever asks for a client owns it and closes it.
 */
interface KafkaClients {
    /** The real clients: string keys, byte-array values. */
    KafkaClients REAL = new KafkaClients() {
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
    };

    Producer<String, byte[]> producer(Map<String, Object> config);

    Consumer<String, byte[]> consumer(Map<String, Object> config);

    Admin admin(Map<String, Object> config);
}
