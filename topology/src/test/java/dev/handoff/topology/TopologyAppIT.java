package dev.handoff.topology;

import static dev.handoff.protocol.Completion.Outcome.DELIVERED;
import static dev.handoff.protocol.Completion.Outcome.PARKED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.Health;
import dev.handoff.protocol.HealthEvent;
import dev.handoff.protocol.NodeStatus;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.Release;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.common.KafkaSettings;
import dev.handoff.protocol.common.TopicAdmin;
import dev.handoff.protocol.json.Codecs;
import dev.handoff.protocol.json.JsonSerde;
import dev.handoff.testkit.KafkaClusterExtension;
import dev.handoff.testkit.SharedKafkaTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TopologyAppIT extends SharedKafkaTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String A = "datanode-a:17912";
    private static final String B = "datanode-b:17912";
    private static final int PARTS = 5;

    private KafkaSettings kafka;
    private Topics topics;
    private TopologySettings settings;
    private Admin admin;
    private KafkaProducer<String, byte[]> producer;

    @BeforeEach
    void setUp() {
        kafka = KafkaSettings.of(KAFKA.bootstrapServers());
        String prefix = KafkaClusterExtension.unique("topo");
        topics = new Topics(prefix);
        settings = TopologySettings.builder(kafka).topicPrefix(prefix)
            .applicationId(KafkaClusterExtension.unique("topology-app")).stateDir(tmp.resolve("state-1"))
            .replicationFactor(1).internalPartitions(2).build();
        admin = Admin.create(kafka.admin());
        producer = new KafkaProducer<>(kafka.producer("it-producer"), new StringSerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void tearDown() {
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
    }

    @Test
    void shouldFoldRealEnqueuesAndCompletionsAgreeWithGroupLagAndSurviveARestart() throws Exception {
        // Given a running topology, node A's topic created before it started and node B's after
        String group = KafkaClusterExtension.unique("replayer");
        createNodeTopic(A);
        TopologyApp app = start(settings);
        createNodeTopic(B);
        List<EnqueueRecord> bundles = enqueueBundles();

        try (FakeReplayer replayer = new FakeReplayer(kafka, topics, group, List.of(topics.node(A), topics.node(B)));
             TopicTail<NodeStatus> status = new TopicTail<>(kafka, topics.nodeStatus(), JsonSerde.of(NodeStatus.class));
             TopicTail<Release> released = new TopicTail<>(kafka, topics.released(), JsonSerde.of(Release.class))) {
            // When a replayer completes 3 of A's records and 2 of B's, transactionally with its offsets
            replayer.complete(A, 3, DELIVERED);
            replayer.complete(B, 2, PARKED);

            // Then the statuses count what is left, the two bundles both nodes finished are released,
            // and pending equals the group's lag on each node topic
            awaitPending(status, Map.of(A, 2L, B, 3L), bundles);
            await().atMost(WAIT).untilAsserted(() -> assertThat(released.poll().all()).extracting(Release::part)
                .containsExactlyInAnyOrder(part(bundles, 0), part(bundles, 1)));
            assertThat(lag(group, A)).isEqualTo(status.latest(A).pendingParts());
            assertThat(lag(group, B)).isEqualTo(status.latest(B).pendingParts());

            // When the topology restarts with an empty state directory (restoring from its changelogs)
            app.close();
            app = start(settings.toBuilder().stateDir(tmp.resolve("state-2")).build());
            sendHealth(A, Health.UP);

            // Then the status is the same, plus the new health; nothing is released again
            await().atMost(WAIT).untilAsserted(() -> assertThat(status.poll().latest(A).health()).isEqualTo(Health.UP));
            assertThat(status.latest(A).pendingParts()).isEqualTo(2);
            assertThat(status.latest(B).pendingParts()).isEqualTo(3);

            // When everything else completes
            replayer.complete(A, 2, DELIVERED);
            replayer.complete(B, 3, DELIVERED);

            // Then nothing is pending, nothing lags, and each bundle was released exactly once
            awaitPending(status, Map.of(A, 0L, B, 0L), bundles);
            await().atMost(WAIT).untilAsserted(() -> assertThat(released.poll().all()).hasSize(PARTS));
            assertThat(released.all()).extracting(Release::part).doesNotHaveDuplicates();
            assertThat(lag(group, A)).isZero();
            assertThat(lag(group, B)).isZero();
            assertThat(status.latest(A).oldestEnqueuedAt()).isNull();
        } finally {
            app.close();
        }
    }

    @Test
    void shouldShareTheWorkBetweenTwoInstancesAndHandItOverWhenOneStops() throws Exception {
        // Given two instances of one application, each with its own state directory
        String group = KafkaClusterExtension.unique("replayer");
        createNodeTopic(A);
        createNodeTopic(B);
        TopologyApp first = start(settings);
        TopologyApp second = start(settings.toBuilder().stateDir(tmp.resolve("state-second")).build());
        List<EnqueueRecord> bundles = enqueueBundles();

        try (FakeReplayer replayer = new FakeReplayer(kafka, topics, group, List.of(topics.node(A), topics.node(B)));
             TopicTail<NodeStatus> status = new TopicTail<>(kafka, topics.nodeStatus(), JsonSerde.of(NodeStatus.class));
             TopicTail<Release> released = new TopicTail<>(kafka, topics.released(), JsonSerde.of(Release.class))) {
            // When A's records all complete and 3 of B's
            replayer.complete(A, PARTS, DELIVERED);
            replayer.complete(B, 3, DELIVERED);

            // Then the statuses and releases are those of a single instance
            awaitPending(status, Map.of(A, 0L, B, 2L), bundles);
            await().atMost(WAIT).untilAsserted(() -> assertThat(released.poll().all()).hasSize(3));

            // When one instance stops and the rest of B completes
            first.close();
            replayer.complete(B, 2, DELIVERED);

            // Then the other instance carries on from the same state: nothing pending, each bundle released once
            awaitPending(status, Map.of(A, 0L, B, 0L), bundles);
            await().atMost(WAIT).untilAsserted(() -> assertThat(released.poll().all()).hasSize(PARTS));
            assertThat(released.all()).extracting(Release::part).doesNotHaveDuplicates();
            assertThat(lag(group, B)).isZero();
        } finally {
            first.close();
            second.close();
        }
    }

    @Test
    void shouldCreateTheFixedTopicsWithACompactedNodeStatusAndBecomeReady() throws Exception {
        // Given / When the topology starts against a prefix nobody initialised
        try (TopologyApp app = start(settings)) {
            // Then its topics exist, node-status compacted, and it reports ready
            Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(
                new ConfigResource(ConfigResource.Type.TOPIC, topics.nodeStatus()))).all().get();
            assertThat(configs.values().iterator().next().get(TopicConfig.CLEANUP_POLICY_CONFIG).value())
                .isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
            assertThat(admin.listTopics().names().get())
                .contains(topics.health(), topics.control(), topics.completions(), topics.released());
            assertThat(app.isReady()).isTrue();
            assertThat(app.describe()).contains(topics.nodeStatus());
        }
    }

    private TopologyApp start(TopologySettings s) throws Exception {
        TopologyApp app = new TopologyApp(s, new SimpleMeterRegistry());
        app.start();
        await().atMost(WAIT).until(app::isReady);
        return app;
    }

    private void createNodeTopic(String node) throws Exception {
        TopicAdmin.ensure(admin, topics.node(node), TopicAdmin.TopicSettings.single(), TopicAdmin.nodeTopicConfigs());
    }

    /** PARTS bundles, each enqueued for A and B, 100 bytes each, enqueued 1 s apart. */
    private List<EnqueueRecord> enqueueBundles() throws Exception {
        List<EnqueueRecord> bundles = new java.util.ArrayList<>();
        for (int i = 0; i < PARTS; i++) {
            EnqueueRecord r = TopologyFixture.record(A, List.of(A, B), 0x1000 + i, 100, 1_000L * (i + 1));
            bundles.add(r);
            for (String node : List.of(A, B)) {
                EnqueueRecord forNode = r.forNode(node);
                producer.send(new ProducerRecord<>(topics.node(node), forNode.part().groupShard(),
                    Codecs.ENQUEUE.encode(forNode))).get();
            }
        }
        return bundles;
    }

    private void awaitPending(TopicTail<NodeStatus> status, Map<String, Long> expected, List<EnqueueRecord> bundles) {
        await().atMost(WAIT).untilAsserted(() -> {
            status.poll();
            for (var e : expected.entrySet()) {
                NodeStatus s = status.latest(e.getKey());
                assertThat(s).as("status of %s", e.getKey()).isNotNull();
                assertThat(s.pendingParts()).as("pending parts of %s", e.getKey()).isEqualTo(e.getValue());
                assertThat(s.pendingBytes()).isEqualTo(e.getValue() * 100);
                if (e.getValue() > 0) {
                    long oldest = bundles.get((int) (PARTS - e.getValue())).enqueuedAt();
                    assertThat(s.oldestEnqueuedAt()).isEqualTo(oldest);
                }
            }
        });
    }

    private void sendHealth(String node, Health health) throws Exception {
        producer.send(new ProducerRecord<>(topics.health(), node,
            Codecs.HEALTH.encode(new HealthEvent(node, health, "it", System.currentTimeMillis())))).get();
    }

    private long lag(String group, String node) throws Exception {
        TopicPartition tp = new TopicPartition(topics.node(node), 0);
        OffsetAndMetadata committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().get(tp);
        long end = admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get().offset();
        return end - (committed == null ? 0 : committed.offset());
    }

    private static PartKey part(List<EnqueueRecord> bundles, int i) {
        return bundles.get(i).part();
    }
}
