package dev.handoff.producer;

import static dev.handoff.producer.Fixtures.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.common.KafkaSettings;
import dev.handoff.protocol.common.TopicAdmin.TopicSettings;
import dev.handoff.testkit.KafkaClusterExtension;
import dev.handoff.testkit.SharedKafkaTest;
import dev.handoff.testkit.ProcessKafkaCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Kafka's new-partition race (KAFKA-15591): concurrent first writes to a just-created node topic used to
 * wedge a partition until the publish timed out. Brand-new node topics, each written by eight enqueues
 * released at the same instant, must all publish, each within the publish timeout, on the test broker
 * and on an Apache Kafka broker process.
 */
class NewPartitionRaceIT extends SharedKafkaTest {
    private static final int NODES = 50;
    private static final int WRITERS = 8;
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(10);

    @Test
    void shouldPublishFirstWritesToFiftyNewNodeTopicsUnderEightConcurrentEnqueues() throws Exception {
        scenario(KAFKA.bootstrapServers());
    }

    @Test
    void shouldPublishFirstWritesToFiftyNewNodeTopicsOnAnApacheKafkaBrokerProcess() throws Exception {
        try (ProcessKafkaCluster kafka = ProcessKafkaCluster.start(1)) {
            scenario(kafka.bootstrapServers());
        }
    }

    private void scenario(String bootstrap) throws Exception {
        // Given a producer whose node topics have two partitions, and fifty nodes it never wrote to
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ProducerSettings settings = ProducerSettings.builder(tmp.resolve("store"), "liaison-race", KafkaSettings.of(bootstrap))
            .topicPrefix(KafkaClusterExtension.unique("race"))
            .listen("localhost", 0)
            .nodeTopics(new TopicSettings(2, (short) 1, null))
            .publishTimeout(PUBLISH_TIMEOUT)
            .build();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<Long> millis = new CopyOnWriteArrayList<>();
        List<String> nodes = new ArrayList<>();
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        try (HandoffProducer producer = Fixtures.started(settings, registry)) {
            // When each node gets eight enqueues released at once, the first writes its topic ever sees
            for (int n = 0; n < NODES; n++) {
                String node = "127.0.0.1:" + (30_000 + n);
                nodes.add(node);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<?>> round = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    PartKey part = new PartKey("liaison-race", "g", w, (long) n * WRITERS + w + 1);
                    Bundle bundle = bundle(part);
                    round.add(writers.submit(() -> {
                        go.await();
                        long start = System.nanoTime();
                        try {
                            producer.enqueue(bundle, List.of(node));
                        } catch (Exception e) {
                            failures.add(e);
                        }
                        millis.add((System.nanoTime() - start) / 1_000_000);
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> f : round) {
                    f.get(PUBLISH_TIMEOUT.toSeconds() * 3, TimeUnit.SECONDS);
                }
            }

            // Then no publish failed, none took as long as the publish timeout, and no client had to be replaced
            assertThat(failures).isEmpty();
            assertThat(millis).hasSize(NODES * WRITERS).allSatisfy(ms -> assertThat(ms).isLessThan(PUBLISH_TIMEOUT.toMillis()));
            assertThat(registry.get("handoff.producer.client.replacements").counter().count()).isZero();
        } finally {
            writers.shutdownNow();
        }
        // And every node topic holds its eight records, read back from the broker
        assertThat(endOffsets(bootstrap, settings.topics(), nodes)).allSatisfy((node, count) ->
            assertThat(count).as(node).isEqualTo(WRITERS));
    }

    private Bundle bundle(PartKey part) throws Exception {
        Path src = tmp.resolve("src-" + part.partIdHex());
        return Bundle.of(part, new Bundle.Type("core", Fixtures.typeDir(src, "core",
            Map.of("primary.bin", bytes(512, (int) part.partId()), "meta.bin", bytes(16, 1))), Map.of()));
    }

    private static Map<String, Long> endOffsets(String bootstrap, Topics topics, List<String> nodes) throws Exception {
        Map<String, Long> counts = new java.util.TreeMap<>();
        try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, OffsetSpec> request = new java.util.HashMap<>();
            for (String node : nodes) {
                for (int p = 0; p < 2; p++) {
                    request.put(new TopicPartition(topics.node(node), p), OffsetSpec.latest());
                }
            }
            admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> {
                String node = nodes.stream().filter(n -> topics.node(n).equals(tp.topic())).findFirst().orElseThrow();
                counts.merge(node, info.offset(), Long::sum);
            });
        }
        return counts;
    }
}
