package dev.handoff.topology;

import static org.awaitility.Awaitility.await;

import dev.handoff.protocol.Completion;
import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.common.KafkaSettings;
import dev.handoff.protocol.json.Codecs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Acts like the replayer towards Kafka, without delivering anything: a consumer group reads node
 * topics, and each completion is written in one transaction with the group's offset commit.
 * Test-only; confined to the test thread.
 */
final class FakeReplayer implements AutoCloseable {
    private final Topics topics;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> unread = new HashMap<>();

    FakeReplayer(KafkaSettings kafka, Topics topics, String group, List<String> nodeTopics) {
        this.topics = topics;
        Map<String, Object> c = kafka.consumer(group, group + "-consumer");
        c.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 120_000);
        consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        Map<String, Object> p = kafka.producer(group + "-producer");
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, group + "-tx");
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        producer.initTransactions();
        consumer.subscribe(nodeTopics);
    }

    /** Completes, in offset order, the next {@code count} records of the node's topic (polling until they are there). */
    void complete(String node, int count, Completion.Outcome outcome) {
        TopicPartition tp = new TopicPartition(topics.node(node), 0);
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            consumer.poll(Duration.ofMillis(100))
                .forEach(r -> unread.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), k -> new ArrayList<>()).add(r));
            return unread.getOrDefault(tp, List.of()).size() >= count;
        });
        List<ConsumerRecord<String, byte[]>> queue = unread.get(tp);
        List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>(queue.subList(0, count));
        queue.subList(0, count).clear();
        producer.beginTransaction();
        try {
            for (ConsumerRecord<String, byte[]> r : batch) {
                EnqueueRecord e = Codecs.ENQUEUE.decode(r.value());
                Completion done = new Completion(e.node(), e.part(), outcome, "fake-replayer", 1, r.topic(), r.partition(),
                    r.offset(), System.currentTimeMillis());
                producer.send(new ProducerRecord<>(topics.completions(), e.node(), Codecs.COMPLETION.encode(done)));
            }
            long next = batch.get(batch.size() - 1).offset() + 1;
            producer.sendOffsetsToTransaction(Map.of(tp, new OffsetAndMetadata(next)), consumer.groupMetadata());
            producer.commitTransaction();
        } catch (RuntimeException | dev.handoff.protocol.InvalidRecordException e) {
            producer.abortTransaction();
            throw new IllegalStateException("could not complete " + count + " records of " + node, e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        consumer.close(Duration.ofSeconds(5));
    }
}
