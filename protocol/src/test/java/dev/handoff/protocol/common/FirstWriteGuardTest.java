package dev.handoff.protocol.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FirstWriteGuardTest {
    private static final String TOPIC = "handoff.node.n1";
    private static final int PARTITIONS = 4;
    private static final Node BROKER = new Node(1, "localhost", 9092);

    private final MockProducer<String, String> producer = new MockProducer<>(cluster(), false, null,
        new StringSerializer(), new StringSerializer());
    private final FirstWriteGuard<String, String> guard = new FirstWriteGuard<>(producer, new StringSerializer(), "test-first-writes");

    @AfterEach
    void close() {
        guard.close();
    }

    @Test
    void shouldSendOnlyTheFirstWriteToANewPartitionUntilItIsAcknowledged() {
        // Given three records for one brand-new partition
        List<CompletableFuture<RecordMetadata>> acks = IntStream.range(0, 3)
            .mapToObj(i -> guard.send(new ProducerRecord<>(TOPIC, "g/1", "v" + i))).toList();
        // Then only the first is in flight
        assertThat(producer.history()).extracting(ProducerRecord::value).containsExactly("v0");
        // When it is acknowledged
        producer.completeNext();
        // Then the others follow, in their order, and the first's caller has its acknowledgement
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
            assertThat(producer.history()).extracting(ProducerRecord::value).containsExactly("v0", "v1", "v2"));
        assertThat(acks.get(0)).isCompleted();
        assertThat(acks.get(1)).isNotDone();
        assertThat(guard.isOpen(partitionOf("g/1"))).isTrue();
    }

    @Test
    void shouldSendConcurrentlyOnceThePartitionWasAcknowledged() {
        // Given a partition whose first write was acknowledged
        guard.send(new ProducerRecord<>(TOPIC, "g/1", "first"));
        producer.completeNext();
        await().atMost(Duration.ofSeconds(5)).until(() -> guard.isOpen(partitionOf("g/1")));
        // When more records are given without any acknowledgement
        guard.send(new ProducerRecord<>(TOPIC, "g/1", "a"));
        guard.send(new ProducerRecord<>(TOPIC, "g/1", "b"));
        // Then all are in flight at once
        assertThat(producer.history()).extracting(ProducerRecord::value).containsExactly("first", "a", "b");
    }

    @Test
    void shouldPassTheTurnToTheNextRecordWhenTheFirstWriteFails() {
        // Given two records waiting behind a first write
        CompletableFuture<RecordMetadata> first = guard.send(new ProducerRecord<>(TOPIC, "g/1", "v0"));
        CompletableFuture<RecordMetadata> second = guard.send(new ProducerRecord<>(TOPIC, "g/1", "v1"));
        guard.send(new ProducerRecord<>(TOPIC, "g/1", "v2"));
        // When the first fails
        producer.errorNext(new NotLeaderOrFollowerException("not yet"));
        // Then its caller sees the failure, and the next record goes alone as the new first write
        assertThat(first).isCompletedExceptionally();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
            assertThat(producer.history()).extracting(ProducerRecord::value).containsExactly("v0", "v1"));
        assertThat(guard.isOpen(partitionOf("g/1"))).isFalse();
        // And once that one is acknowledged the partition opens
        producer.completeNext();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
            assertThat(producer.history()).extracting(ProducerRecord::value).containsExactly("v0", "v1", "v2"));
        assertThat(second).isCompleted();
    }

    @Test
    void shouldNeverSendAWaitingRecordWhoseCallerGaveUp() {
        // Given a record waiting behind a first write, whose caller cancels it (its enqueue timed out)
        guard.send(new ProducerRecord<>(TOPIC, "g/1", "v0"));
        guard.send(new ProducerRecord<>(TOPIC, "g/1", "abandoned")).cancel(false);
        guard.send(new ProducerRecord<>(TOPIC, "g/1", "v2"));
        // When the first write is acknowledged
        producer.completeNext();
        // Then the abandoned record is not sent, the one after it is
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
            assertThat(producer.history()).extracting(ProducerRecord::value).containsExactly("v0", "v2"));
    }

    @Test
    void shouldGateEachPartitionOnItsOwn() {
        // Given keys that land on different partitions
        List<String> keys = IntStream.range(0, 50).mapToObj(i -> "g/" + i)
            .filter(k -> partitionOf(k).partition() != partitionOf("g/0").partition()).limit(1).toList();
        String other = keys.get(0);
        // When each gets two records and nothing is acknowledged
        guard.send(new ProducerRecord<>(TOPIC, "g/0", "a0"));
        guard.send(new ProducerRecord<>(TOPIC, "g/0", "a1"));
        guard.send(new ProducerRecord<>(TOPIC, other, "b0"));
        guard.send(new ProducerRecord<>(TOPIC, other, "b1"));
        // Then each partition has exactly its first write in flight
        assertThat(producer.history()).extracting(ProducerRecord::value).containsExactly("a0", "b0");
    }

    @Test
    void shouldPlaceKeyedRecordsWhereKafkasBuiltInPartitionerWould() {
        // When keyed records are sent
        for (int i = 0; i < 20; i++) {
            guard.send(new ProducerRecord<>(TOPIC, "group-" + i + "/" + i, "v"));
        }
        // Then each carries the partition Kafka's own partitioner picks for its key
        Set<Integer> seen = new java.util.HashSet<>();
        for (ProducerRecord<String, String> r : producer.history()) {
            assertThat(r.partition()).isEqualTo(partitionOf(r.key()).partition());
            seen.add(r.partition());
        }
        assertThat(seen).hasSizeGreaterThan(1);
    }

    private static TopicPartition partitionOf(String key) {
        return new TopicPartition(TOPIC, BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), PARTITIONS));
    }

    private static Cluster cluster() {
        List<PartitionInfo> partitions = IntStream.range(0, PARTITIONS)
            .mapToObj(p -> new PartitionInfo(TOPIC, p, BROKER, new Node[] {BROKER}, new Node[] {BROKER})).toList();
        return new Cluster("test", List.of(BROKER), partitions, Set.of(), Set.of());
    }
}
