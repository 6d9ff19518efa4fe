package dev.handoff.producer;

import dev.handoff.protocol.common.KafkaClientSupplier;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;

/**
 * {@link KafkaClientSupplier} for unit tests, like Kafka Streams' {@code MockClientSupplier}: producers from a factory
 * given the how-many-th producer this is (0 first), one given consumer, no admin client (tests create topics
 * through a {@link TopicEnsurer.Creator} stub). Records every configuration asked for.
 */
final class MockKafkaClients implements KafkaClientSupplier {
    private final IntFunction<Producer<String, byte[]>> producers;
    private final Consumer<String, byte[]> consumer;
    private final AtomicInteger made = new AtomicInteger();
    final List<Map<String, Object>> producerConfigs = new CopyOnWriteArrayList<>();

    MockKafkaClients(IntFunction<Producer<String, byte[]>> producers) {
        this(producers, new MockConsumer<>("earliest"));
    }

    MockKafkaClients(IntFunction<Producer<String, byte[]>> producers, Consumer<String, byte[]> consumer) {
        this.producers = producers;
        this.consumer = consumer;
    }

    /** Metadata for a MockProducer: one partition of {@code node}'s topic and of the health topic, on one broker. */
    static Cluster cluster(ProducerSettings settings, String node) {
        Node broker = new Node(1, "localhost", 9092);
        List<PartitionInfo> partitions = Stream.of(settings.topics().node(node), settings.topics().health())
            .map(topic -> new PartitionInfo(topic, 0, broker, new Node[] {broker}, new Node[] {broker})).toList();
        return new Cluster("test", List.of(broker), partitions, Set.of(), Set.of());
    }

    @Override
    public Producer<String, byte[]> producer(Map<String, Object> config) {
        producerConfigs.add(Map.copyOf(config));
        return producers.apply(made.getAndIncrement());
    }

    @Override
    public Consumer<String, byte[]> consumer(Map<String, Object> config) {
        return consumer;
    }

    @Override
    public Admin admin(Map<String, Object> config) {
        throw new UnsupportedOperationException("unit tests create topics through a TopicEnsurer.Creator stub");
    }
}
