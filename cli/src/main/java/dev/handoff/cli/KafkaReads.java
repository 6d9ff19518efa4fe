package dev.handoff.cli;

import dev.handoff.protocol.common.KafkaSettings;
import dev.handoff.protocol.common.TopicRanges;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** The CLI's reads of Kafka: a whole topic, from its log start to the end offsets seen when the read began (no group); a topic's description. */
final class KafkaReads {
    private KafkaReads() {
    }

    static void readToEnd(KafkaSettings kafka, Duration timeout, String topic, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        Map<String, Object> props = new HashMap<>(kafka.consumer(null, "handoff-cli"));
        try (KafkaConsumer<byte[], byte[]> consumer =
                 new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos;
            try {
                infos = consumer.partitionsFor(topic, timeout);
            } catch (TimeoutException e) {
                throw new KafkaUnreachableException(kafka.bootstrapServers(), topic, timeout);
            }
            if (infos == null || infos.isEmpty()) {
                throw new KafkaUnreachableException(kafka.bootstrapServers(), topic, timeout);
            }
            List<TopicPartition> partitions = new ArrayList<>();
            infos.forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
            if (!TopicRanges.read(consumer, consumer.beginningOffsets(partitions, timeout),
                consumer.endOffsets(partitions, timeout), Duration.ofSeconds(60), each)) {
                throw new IllegalStateException("reading " + topic + " did not reach its end within 60 s");
            }
        }
    }

    /**
     * {@code topic}'s description, or null when it does not exist; any other failure, or no answer within
     * {@code timeout}, is an {@link IllegalStateException} naming the topic.
     */
    static TopicDescription describeOrNull(Admin admin, String topic, Duration timeout) throws InterruptedException {
        try {
            return admin.describeTopics(List.of(topic)).allTopicNames()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(topic);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return null;
            }
            throw new IllegalStateException("cannot describe " + topic + ": " + e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Kafka did not describe " + topic + " within " + timeout.toSeconds() + " s", e);
        }
    }

    /** Kafka did not answer, or the topic does not exist: one line naming both. */
    static final class KafkaUnreachableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        KafkaUnreachableException(String bootstrap, String topic, Duration timeout) {
            super("cannot read topic " + topic + " from Kafka at " + bootstrap + " within " + timeout.toSeconds()
                + " s (is the broker up, and did `handoff init` create the topics?)");
        }
    }
}
