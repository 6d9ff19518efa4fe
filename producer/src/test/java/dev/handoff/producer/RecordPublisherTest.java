package dev.handoff.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.FileEntry;
import dev.handoff.protocol.Health;
import dev.handoff.protocol.HealthEvent;
import dev.handoff.protocol.json.Codecs;
import dev.handoff.protocol.PartTypeEntry;
import dev.handoff.protocol.common.KafkaSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The publisher's client handling, against MockProducers: a stalled client is replaced once, and its successor works. */
class RecordPublisherTest {
    private static final String NODE = "dn-1:9420";

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ProducerSettings settings = ProducerSettings.builder(Path.of("/tmp/unused"), "l1",
        KafkaSettings.of("localhost:9092")).publishTimeout(Duration.ofMillis(300)).build();

    @Test
    void shouldReplaceAClientThatLeavesAPublishUnacknowledgedPastThePublishTimeout() throws Exception {
        // Given a first client that never acknowledges (wedged) and a second that does
        List<MockProducer<String, byte[]>> made = new CopyOnWriteArrayList<>();
        try (RecordPublisher publisher = publisher(made, generation -> generation > 0)) {
            // When a publish times out
            assertThatThrownBy(() -> publisher.publish(List.of(record(1))))
                .isInstanceOf(PublishException.class)
                .hasMessageContaining("no acknowledgement within PT0.3S")
                .hasMessageContaining("replaced")
                .satisfies(e -> assertThat(((PublishException) e).retriable()).isTrue());
            // Then the stalled client was closed and a new one made, and the next publish goes through it
            assertThat(made).hasSize(2);
            assertThat(made.get(0).closed()).isTrue();
            publisher.publish(List.of(record(2)));
            assertThat(made.get(1).history()).hasSize(1);
            assertThat(registry.get("handoff.producer.client.replacements").counter().count()).isEqualTo(1.0);
        }
    }

    @Test
    void shouldReplaceAStalledClientOnceHoweverManyPublishesSawIt() throws Exception {
        // Given a client that never acknowledges, used by four concurrent publishes
        List<MockProducer<String, byte[]>> made = new CopyOnWriteArrayList<>();
        try (RecordPublisher publisher = publisher(made, generation -> false)) {
            List<Thread> threads = new ArrayList<>();
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            for (int i = 0; i < 4; i++) {
                int id = i;
                Thread t = new Thread(() -> {
                    try {
                        publisher.publish(List.of(record(10 + id)));
                    } catch (PublishException e) {
                        failures.add(e);
                    }
                });
                t.start();
                threads.add(t);
            }
            for (Thread t : threads) {
                t.join(10_000);
            }
            // Then every publish failed cleanly, and the client was replaced once, not four times
            assertThat(failures).hasSize(4).allSatisfy(e -> assertThat(e).isInstanceOf(PublishException.class));
            assertThat(made).hasSize(2);
            assertThat(registry.get("handoff.producer.client.replacements").counter().count()).isEqualTo(1.0);
        }
    }

    @Test
    void shouldQueueHealthEventsWithoutBlockingTheCallerAndSendTheLatestOfEachNode() throws Exception {
        // Given a client whose metadata lookup blocks (a broker that cannot be reached)
        CountDownLatch metadata = new CountDownLatch(1);
        List<MockProducer<String, byte[]>> made = new CopyOnWriteArrayList<>();
        try (RecordPublisher publisher = new RecordPublisher(settings, new MicrometerProducerMetrics(registry),
            (topic, s, configs, timeout) -> false, new MockKafkaClients(generation -> {
                MockProducer<String, byte[]> p = new MockProducer<>(MockKafkaClients.cluster(settings, NODE), true, null, new StringSerializer(),
                    new ByteArraySerializer()) {
                    @Override
                    public List<PartitionInfo> partitionsFor(String topic) {
                        try {
                            metadata.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return super.partitionsFor(topic);
                    }
                };
                made.add(p);
                return p;
            }))) {
            // When health events come from a monitor thread (a gRPC callback holding a node's lock)
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
                publisher.health(new HealthEvent(NODE, Health.DOWN, "producer:l1", 1_000));
                publisher.health(new HealthEvent("dn-2:9420", Health.DOWN, "producer:l1", 1_001));
                publisher.health(new HealthEvent("dn-2:9420", Health.UP, "producer:l1", 1_002));
            });

            // Then none of them waited for Kafka, and once it answers each node's latest state is sent
            metadata.countDown();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(made.get(0).history())
                .extracting(r -> Codecs.HEALTH.decode(r.value()).status())
                .containsExactlyInAnyOrder(Health.DOWN, Health.UP));
        }
    }

    @Test
    void shouldBoundEverySendsBlockingByThePublishTimeout() {
        // When the client's configuration is built without a max.block.ms of the operator's
        Map<String, Object> config = RecordPublisher.clientConfig(settings, 0);
        // Then a send cannot block longer than an enqueue may take
        assertThat(config).containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG, 300L)
            .containsEntry(ProducerConfig.ACKS_CONFIG, "all");
    }

    private RecordPublisher publisher(List<MockProducer<String, byte[]>> made,
                                      java.util.function.IntPredicate acknowledges) {
        return new RecordPublisher(settings, new MicrometerProducerMetrics(registry), (topic, s, configs, timeout) -> false,
            new MockKafkaClients(generation -> {
                MockProducer<String, byte[]> p = new MockProducer<>(MockKafkaClients.cluster(settings, NODE), acknowledges.test(generation), null,
                    new StringSerializer(), new ByteArraySerializer());
                made.add(p);
                return p;
            }));
    }


    private static EnqueueRecord record(long partId) {
        PartTypeEntry core = new PartTypeEntry("core", List.of(new FileEntry("meta.bin", 4, 7)), null);
        return new EnqueueRecord(NODE, List.of(NODE), "l1", "localhost:17913", "g", 1, partId, List.of(core), 4,
            1_000, null);
    }
}
