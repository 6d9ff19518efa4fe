package dev.handoff.replayer.internals;

import dev.handoff.protocol.Completion;
import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.Health;
import dev.handoff.protocol.InvalidRecordException;
import dev.handoff.protocol.NodeStatus;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.common.KafkaSettings;
import dev.handoff.protocol.common.TopicAdmin;
import dev.handoff.protocol.json.Codecs;
import dev.handoff.replayer.ReplayerSettings;
import dev.handoff.testkit.KafkaClusterExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Topics, records and offsets of one test on the shared broker, under a unique topic prefix. */
final class KafkaFixture implements AutoCloseable {
    final KafkaSettings kafka;
    final Topics topics;
    final String group;
    final Admin admin;
    private final KafkaProducer<String, byte[]> producer;

    KafkaFixture(String bootstrap) throws ExecutionException, InterruptedException {
        this.kafka = KafkaSettings.of(bootstrap);
        this.topics = new Topics(KafkaClusterExtension.unique("h"));
        this.group = KafkaClusterExtension.unique("replayers");
        this.admin = Admin.create(kafka.admin());
        this.producer = new KafkaProducer<>(kafka.producer("test-producer"), new StringSerializer(), new ByteArraySerializer());
        for (String t : topics.fixed()) {
            TopicAdmin.ensure(admin, t, TopicAdmin.TopicSettings.single(),
                t.equals(topics.nodeStatus()) ? TopicAdmin.compactedConfigs() : TopicAdmin.keepForeverConfigs());
        }
    }

    String nodeTopic(String node, int partitions) throws ExecutionException, InterruptedException {
        String topic = topics.node(node);
        TopicAdmin.ensure(admin, topic, new TopicAdmin.TopicSettings(partitions, (short) 1, null), TopicAdmin.nodeTopicConfigs());
        return topic;
    }

    ReplayerSettings.Builder settings(String instanceId) {
        return ReplayerSettings.builder(kafka).topicPrefix(topics.prefix()).groupId(group).instanceId(instanceId)
            .backoff(Duration.ofMillis(200), Duration.ofSeconds(1)).logStartAdvanceInterval(Duration.ofMillis(500))
            .sessionTimeout(Duration.ofSeconds(30));
    }

    void enqueue(EnqueueRecord record, Integer partition) throws ExecutionException, InterruptedException {
        send(topics.node(record.node()), partition, record.part().groupShard(), Codecs.ENQUEUE.encode(record));
    }

    void send(String topic, Integer partition, String key, byte[] value) throws ExecutionException, InterruptedException {
        producer.send(new ProducerRecord<>(topic, partition, key, value)).get();
    }

    void status(String node, Health health) throws ExecutionException, InterruptedException {
        NodeStatus s = new NodeStatus(node, health, false, null, 0, 0, null, System.currentTimeMillis());
        send(topics.nodeStatus(), null, node, Codecs.NODE_STATUS.encode(s));
    }

    /** Every committed record of a topic, read from the beginning up to its end. */
    List<ConsumerRecord<String, byte[]>> readAll(String topic) throws ExecutionException, InterruptedException {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(kafka.consumer(null, "test-reader"),
            new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> ends = consumer.endOffsets(tps);
            while (tps.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    /** Every committed completion, in the order read. */
    List<Completion> completions() throws ExecutionException, InterruptedException, InvalidRecordException {
        List<Completion> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : readAll(topics.completions())) {
            out.add(Codecs.COMPLETION.decode(r.value()));
        }
        return out;
    }

    Map<TopicPartition, Long> committed() throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
            .partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, Long> out = new HashMap<>();
        offsets.forEach((tp, o) -> {
            if (o != null) {
                out.put(tp, o.offset());
            }
        });
        return out;
    }

    Map<TopicPartition, Long> offsets(String topic, OffsetSpec spec) throws ExecutionException, InterruptedException {
        int n = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int p = 0; p < n; p++) {
            request.put(new TopicPartition(topic, p), spec);
        }
        return admin.listOffsets(request).all().get().entrySet().stream()
            .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    @Override
    public void close() {
        producer.close();
        admin.close();
    }
}
