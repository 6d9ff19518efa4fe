package dev.handoff.producer;

import dev.handoff.protocol.HandoffException;
import dev.handoff.protocol.common.KafkaSettings;
import dev.handoff.testkit.KafkaClusterExtension;
import dev.handoff.testkit.PartFiles;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Shared helpers of the producer's tests: settings on the test broker, part directories, topic reads. */
final class Fixtures {
    /** Data-node addresses nothing listens on: enqueue targets whose health checks fail. */
    static final String A = "127.0.0.1:1";
    static final String B = "127.0.0.1:2";
    static final String C = "127.0.0.1:3";

    private Fixtures() {
    }

    /** Settings on the shared broker with a unique topic prefix, a loopback server on a free port and short intervals. */
    static ProducerSettings.Builder settings(KafkaClusterExtension kafka, Path store, String liaison) {
        return ProducerSettings.builder(store, liaison, KafkaSettings.of(kafka.bootstrapServers()))
            .topicPrefix(KafkaClusterExtension.unique("t"))
            .listen("localhost", 0)
            .enqueueListen("127.0.0.1", 0)
            .healthInterval(Duration.ofMillis(200))
            .healthTimeout(Duration.ofSeconds(2))
            .publishTimeout(Duration.ofSeconds(30));
    }

    /** A started producer with these settings, a fresh registry and the system clock; closed if it fails to start. */
    static HandoffProducer started(ProducerSettings settings) throws HandoffException {
        return started(settings, new SimpleMeterRegistry());
    }

    /** As {@link #started(ProducerSettings)}, with its meters in {@code registry}. */
    static HandoffProducer started(ProducerSettings settings, MeterRegistry registry) throws HandoffException {
        HandoffProducer producer = new HandoffProducer(settings, registry, Clock.systemUTC());
        try {
            producer.start();
            return producer;
        } catch (HandoffException | RuntimeException e) {
            producer.close();
            throw e;
        }
    }

    /** A started producer (as {@link #started(ProducerSettings)}) that has stored {@code bundle} for {@code nodes}. */
    static HandoffProducer startedWith(ProducerSettings settings, Bundle bundle, List<String> nodes) throws HandoffException {
        HandoffProducer producer = started(settings);
        try {
            producer.enqueue(bundle, nodes);
            return producer;
        } catch (HandoffException | RuntimeException e) {
            producer.close();
            throw e;
        }
    }

    /** A MockConsumer for garbage collection that is assigned {@code released} and {@code completions} at its first poll. */
    static org.apache.kafka.clients.consumer.MockConsumer<String, byte[]> gcConsumer(
        org.apache.kafka.common.TopicPartition released, org.apache.kafka.common.TopicPartition completions) {
        var consumer = new org.apache.kafka.clients.consumer.MockConsumer<String, byte[]>("earliest");
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(released, completions));
            consumer.updateBeginningOffsets(Map.of(released, 0L, completions, 0L));
        });
        return consumer;
    }

    /** Writes a flat part-type directory with the given files. */
    static Path typeDir(Path parent, String name, Map<String, byte[]> files) throws IOException {
        return PartFiles.writeFiles(parent.resolve(name), files);
    }

    static byte[] bytes(int size, int seed) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    /** Reads every record of a topic from the beginning until {@code expected} arrived, then polls once more for extras. */
    static List<ConsumerRecord<String, byte[]>> readTopic(KafkaClusterExtension kafka, String topic, int expected,
                                                         Duration timeout) {
        return readTopic(kafka.bootstrapServers(), topic, expected, timeout);
    }

    /** As {@link #readTopic(KafkaClusterExtension, String, int, Duration)}, on any cluster. */
    static List<ConsumerRecord<String, byte[]>> readTopic(String bootstrap, String topic, int expected, Duration timeout) {
        Map<String, Object> props = new java.util.HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toList());
            c.assign(parts);
            c.seekToBeginning(parts);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            c.poll(Duration.ofMillis(300)).forEach(out::add);
        }
        return out;
    }
}
