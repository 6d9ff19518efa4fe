package dev.handoff.replayer.internals;

import dev.handoff.replayer.ReplayerClientSupplier;
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

/** The real clients: {@link KafkaProducer}, {@link KafkaConsumer}, {@link Admin}. Stateless. */
public final class DefaultReplayerClientSupplier implements ReplayerClientSupplier {
    public static final DefaultReplayerClientSupplier INSTANCE = new DefaultReplayerClientSupplier();

    private DefaultReplayerClientSupplier() {
    }

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
