package dev.handoff.topology;

import dev.handoff.protocol.common.KafkaSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a one-partition topic from the beginning, read_committed, keeping every value and the latest per key. Test thread only. */
final class TopicTail<V> implements AutoCloseable {
    private final KafkaConsumer<String, V> consumer;
    private final List<V> all = new ArrayList<>();
    private final Map<String, V> latest = new LinkedHashMap<>();

    TopicTail(KafkaSettings kafka, String topic, Deserializer<V> values) {
        consumer = new KafkaConsumer<>(kafka.consumer(null, "tail-" + topic), new StringDeserializer(), values);
        TopicPartition tp = new TopicPartition(topic, 0);
        consumer.assign(List.of(tp));
        consumer.seekToBeginning(List.of(tp));
    }

    /** Polls once and returns this instance, for use inside an Awaitility assertion. */
    TopicTail<V> poll() {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> {
            all.add(r.value());
            latest.put(r.key(), r.value());
        });
        return this;
    }

    List<V> all() {
        return all;
    }

    V latest(String key) {
        return latest.get(key);
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
