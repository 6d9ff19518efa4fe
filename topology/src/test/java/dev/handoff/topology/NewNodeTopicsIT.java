package dev.handoff.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.NodeStatus;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.common.KafkaSettings;
import dev.handoff.protocol.common.TopicAdmin;
import dev.handoff.protocol.json.Codecs;
import dev.handoff.protocol.json.JsonSerde;
import dev.handoff.testkit.KafkaClusterExtension;
import dev.handoff.testkit.SharedKafkaTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A rack of data nodes going down at once, or a first deployment: 100 brand-new node topics appear within a
 * minute while the topology runs. No stream thread may fail (a replaced thread stalls every node's status),
 * and every node's status must show its enqueue within seconds.
 */
class NewNodeTopicsIT extends SharedKafkaTest {
    private static final int NODES = 100;
    /** 100 topics in 25 s: 4 per second, well inside "within one minute". */
    private static final Duration APART = Duration.ofMillis(250);
    private static final Duration STATUS_BOUND = Duration.ofSeconds(10);

    @Test
    void shouldFoldEnqueuesOfAHundredNewNodeTopicsWithNoStreamThreadFailure() throws Exception {
        // Given a running topology, and a watch on its log for failed stream threads
        KafkaSettings kafka = KafkaSettings.of(KAFKA.bootstrapServers());
        String prefix = KafkaClusterExtension.unique("newnodes");
        Topics topics = new Topics(prefix);
        TopologySettings settings = TopologySettings.builder(kafka).topicPrefix(prefix)
            .applicationId(KafkaClusterExtension.unique("topology-newnodes")).stateDir(tmp.resolve("state"))
            .replicationFactor(1).internalPartitions(2).build();
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        Logger appLogger = (Logger) LoggerFactory.getLogger(TopologyApp.class);
        log.start();
        appLogger.addAppender(log);
        Map<String, Long> sentAt = new HashMap<>();
        Map<String, Long> seenAt = new HashMap<>();
        try (TopologyApp app = new TopologyApp(settings, new SimpleMeterRegistry());
             Admin admin = Admin.create(kafka.admin());
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.producer("it-newnodes"),
                 new StringSerializer(), new ByteArraySerializer());
             TopicTail<NodeStatus> status = new TopicTail<>(kafka, topics.nodeStatus(), JsonSerde.of(NodeStatus.class))) {
            app.start();
            await().atMost(Duration.ofSeconds(90)).until(app::isReady);

            // When 100 node topics are created one after another, each getting one enqueue record at once
            List<String> nodes = new ArrayList<>();
            for (int i = 0; i < NODES; i++) {
                String node = "rack-node-" + i + ":17912";
                nodes.add(node);
                TopicAdmin.ensure(admin, topics.node(node), TopicAdmin.TopicSettings.single(), TopicAdmin.nodeTopicConfigs());
                EnqueueRecord r = TopologyFixture.record(node, List.of(node), 0x5000 + i, 100, System.currentTimeMillis());
                producer.send(new ProducerRecord<>(topics.node(node), r.part().groupShard(), Codecs.ENQUEUE.encode(r))).get();
                sentAt.put(node, System.currentTimeMillis());
                collect(status, seenAt);
                Thread.sleep(APART.toMillis());
            }

            // Then every node's status shows its pending bundle, each within seconds of its enqueue
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                collect(status, seenAt);
                assertThat(seenAt.keySet()).as("nodes whose status shows their enqueue").hasSize(NODES);
            });
            List<Long> delays = nodes.stream().map(n -> seenAt.get(n) - sentAt.get(n)).sorted().toList();
            System.out.printf("new-node-topics: %d nodes, status delay p50=%d ms max=%d ms, thread failures=%d%n", NODES,
                delays.get(NODES / 2), delays.get(NODES - 1), failures(log));
            assertThat(delays.get(NODES - 1)).as("slowest status delay, ms").isLessThan(STATUS_BOUND.toMillis());
            // And no stream thread failed
            assertThat(failures(log)).as("stream thread failures").isZero();
            assertThat(app.isReady()).isTrue();
        } finally {
            appLogger.detachAppender(log);
        }
    }

    /** Records, per node, when its status first showed one pending part. */
    private static void collect(TopicTail<NodeStatus> status, Map<String, Long> seenAt) {
        status.poll();
        long now = System.currentTimeMillis();
        for (NodeStatus s : status.all()) {
            if (s.pendingParts() == 1) {
                seenAt.putIfAbsent(s.node(), now);
            }
        }
    }

    private static long failures(ListAppender<ILoggingEvent> log) {
        return log.list.stream().filter(e -> e.getFormattedMessage().contains("stream thread failed")).count();
    }
}
