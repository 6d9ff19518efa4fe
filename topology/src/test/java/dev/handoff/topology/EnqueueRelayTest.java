package dev.handoff.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handoff.protocol.Topics;
import dev.handoff.protocol.TopologyGroups;
import dev.handoff.protocol.common.HandoffHeaders;
import dev.handoff.protocol.common.KafkaClientSupplier;
import dev.handoff.protocol.common.KafkaSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The relay's loop on mock clients: what it copies and commits, and which failures it survives. */
class EnqueueRelayTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;
    private Topics topics;
    private TopologySettings settings;
    private TopicPartition nodePartition;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MockClients clients = new MockClients();
    private EnqueueRelay relay;

    @BeforeEach
    void setUp() {
        settings = TopologySettings.builder(KafkaSettings.of("localhost:9")).topicPrefix("relay-test")
            .applicationId("relay-test-app").stateDir(tmp).build();
        topics = settings.topicNames();
        nodePartition = new TopicPartition(topics.node("node-a:1"), 0);
    }

    @AfterEach
    void tearDown() {
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void shouldCopyEachRecordWithItsSourceAndCommitTheOffsetInTheSameTransaction() {
        // Given a node topic with two records, one of them with a header of its own
        clients.onConsumer = c -> c.schedulePollTask(() -> {
            c.addRecord(record(0, "part-1", new RecordHeaders().add("mine", "x".getBytes(StandardCharsets.UTF_8))));
            c.addRecord(record(1, "part-2", new RecordHeaders()));
        });

        // When the relay runs
        relay = start();

        // Then both are copied to the enqueued topic, keyed by the node topic, with the source position added
        await().atMost(WAIT).untilAsserted(() -> assertThat(clients.producers).hasSize(1)
            .allSatisfy(p -> assertThat(p.history()).hasSize(2)));
        MockProducer<String, byte[]> producer = clients.producers.get(0);
        List<ProducerRecord<String, byte[]>> copies = producer.history();
        assertThat(copies).allSatisfy(r -> {
            assertThat(r.topic()).isEqualTo(topics.enqueued());
            assertThat(r.key()).isEqualTo(nodePartition.topic());
            assertThat(header(r, HandoffHeaders.TOPIC)).isEqualTo(nodePartition.topic());
            assertThat(header(r, HandoffHeaders.PARTITION)).isEqualTo("0");
        });
        assertThat(copies).extracting(r -> new String(r.value(), StandardCharsets.UTF_8)).containsExactly("part-1", "part-2");
        assertThat(copies).extracting(r -> header(r, HandoffHeaders.OFFSET)).containsExactly("0", "1");
        assertThat(header(copies.get(0), "mine")).isEqualTo("x");
        // ... and the consumed offset, past both, committed in the relay's group with the copies
        assertThat(producer.consumerGroupOffsetsHistory()).isNotEmpty();
        Map<String, Map<TopicPartition, OffsetAndMetadata>> last =
            producer.consumerGroupOffsetsHistory().get(producer.consumerGroupOffsetsHistory().size() - 1);
        assertThat(last.values()).singleElement()
            .satisfies(offsets -> assertThat(offsets).containsEntry(nodePartition, new OffsetAndMetadata(2)));
        assertThat(clients.consumerGroups).containsOnly(TopologyGroups.relayGroup(settings.applicationId()));
        assertThat(producer.transactionCommitted()).isTrue();
        assertThat(registry.get("handoff.topology.relayed").counter().count()).isEqualTo(2.0);
    }

    @Test
    void shouldStartAgainWithNewClientsAfterAPassingKafkaFailure() {
        // Given a first consumer whose poll fails as a broker loss does, and a second that works
        clients.onConsumer = c -> {
            if (clients.consumers.size() == 1) {
                c.setPollException(new KafkaException("connection to the broker lost"));
            } else {
                c.schedulePollTask(() -> c.addRecord(record(0, "part-1", new RecordHeaders())));
            }
        };

        // When the relay runs
        relay = start();

        // Then it counts the failure, makes new clients, copies the record, and is still running
        await().atMost(WAIT).untilAsserted(() -> assertThat(clients.producers).hasSize(2)
            .last().satisfies(p -> assertThat(p.history()).hasSize(1)));
        assertThat(registry.get("handoff.topology.relay.failures").counter().count()).isEqualTo(1.0);
        assertThat(relay.isRunning()).isTrue();
        assertThat(relay.failure()).isEmpty();
        assertThat(clients.producers.get(0).closed()).isTrue();
    }

    @Test
    void shouldStopForGoodOnAnAuthorizationFailure() {
        // Given a consumer the broker refuses to let read the node topics
        clients.onConsumer = c -> c.setPollException(new TopicAuthorizationException("not allowed", java.util.Set.of(
            nodePartition.topic())));

        // When the relay runs
        relay = start();

        // Then it stops, says why, and makes no new clients
        await().atMost(WAIT).untilAsserted(() -> assertThat(relay.failure()).isPresent());
        assertThat(relay.failure().orElseThrow()).contains("the enqueue relay").containsIgnoringCase("authoriz");
        assertThat(relay.isRunning()).isFalse();
        assertThat(clients.consumers).hasSize(1);
    }

    @Test
    void shouldStopForGoodOnAnUnexpectedErrorRatherThanDieSilently() {
        // Given a poll that throws what no Kafka client throws: a bug
        clients.onConsumer = c -> c.schedulePollTask(() -> {
            throw new IllegalArgumentException("a bug in the relay");
        });

        // When the relay runs
        relay = start();

        // Then the failure is the relay's fatal one, which stops the role (RoleRunner exits 1 on failure())
        await().atMost(WAIT).untilAsserted(() -> assertThat(relay.failure()).isPresent());
        assertThat(relay.failure().orElseThrow()).contains("unexpected error").contains("a bug in the relay");
        await().atMost(WAIT).until(() -> !relay.isRunning());
        assertThat(clients.consumers).hasSize(1);
        assertThat(clients.consumers.get(0).closed()).isTrue();
    }

    private EnqueueRelay start() {
        EnqueueRelay r = new EnqueueRelay(settings, "instance-1", TopologyMetrics.micrometer(registry), Clock.systemUTC(),
            Duration.ofDays(1), clients);
        r.start();
        return r;
    }

    private ConsumerRecord<String, byte[]> record(long offset, String value, org.apache.kafka.common.header.Headers headers) {
        return new ConsumerRecord<>(nodePartition.topic(), 0, offset, 1_000L + offset, TimestampType.CREATE_TIME, -1, -1,
            "key", value.getBytes(StandardCharsets.UTF_8), headers, java.util.Optional.empty());
    }

    private static String header(ProducerRecord<String, byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    /** Mock consumers and transactional mock producers, kept in creation order; no admin (no purge is due). */
    private final class MockClients implements KafkaClientSupplier {
        final List<MockConsumer<String, byte[]>> consumers = new CopyOnWriteArrayList<>();
        final List<MockProducer<String, byte[]>> producers = new CopyOnWriteArrayList<>();
        final List<String> consumerGroups = new CopyOnWriteArrayList<>();
        volatile Consumer<MockConsumer<String, byte[]>> onConsumer = c -> { };

        @Override
        public Producer<String, byte[]> producer(Map<String, Object> config) {
            Node broker = new Node(1, "localhost", 9092);
            Cluster cluster = new Cluster("c", List.of(broker), List.of(new PartitionInfo(topics.enqueued(), 0, broker,
                new Node[] {broker}, new Node[] {broker})), java.util.Set.of(), java.util.Set.of());
            MockProducer<String, byte[]> p = new MockProducer<>(cluster, true, null, new StringSerializer(),
                new ByteArraySerializer());
            producers.add(p);
            return p;
        }

        @Override
        public org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer(Map<String, Object> config) {
            consumerGroups.add((String) config.get("group.id"));
            MockConsumer<String, byte[]> c = new MockConsumer<>("earliest");
            c.updatePartitions(nodePartition.topic(), List.of(new PartitionInfo(nodePartition.topic(), 0, null,
                new Node[0], new Node[0])));
            c.updateBeginningOffsets(Map.of(nodePartition, 0L));
            consumers.add(c);
            onConsumer.accept(c);
            return c;
        }

        @Override
        public Admin admin(Map<String, Object> config) {
            throw new AssertionError("no purge is due in these tests");
        }
    }
}
