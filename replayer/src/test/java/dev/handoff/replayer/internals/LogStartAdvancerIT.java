package dev.handoff.replayer.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handoff.protocol.TopologyGroups;
import dev.handoff.testkit.KafkaClusterExtension;
import dev.handoff.testkit.SharedKafkaTest;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Which topology group bounds a node topic's log start, against a real broker: the enqueue relay's group when it
 * exists, else the Streams group of a topology older than the relay, else (no topology) the replayer alone.
 */
class LogStartAdvancerIT extends SharedKafkaTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void shouldBoundByTheRelayGroupWhenItExists() throws Exception {
        assertThat(logStartAfterAdvance(2L, 3L)).isEqualTo(2);
    }

    @Test
    void shouldBoundByTheStreamsGroupOfAnOlderTopologyWhileNoRelayGroupExists() throws Exception {
        assertThat(logStartAfterAdvance(null, 3L)).isEqualTo(3);
    }

    @Test
    void shouldUseTheReplayersOffsetWhenNoTopologyGroupExists() throws Exception {
        assertThat(logStartAfterAdvance(null, null)).isEqualTo(5);
    }

    /**
     * Five records, the replayer committed all five; the relay and Streams groups (null: absent) committed the
     * given offsets. Returns the log start once the advancer has run (it settles within {@code WAIT}).
     */
    private static long logStartAfterAdvance(Long relay, Long streams) throws Exception {
        try (KafkaFixture fx = new KafkaFixture(KAFKA.bootstrapServers());
             KafkaProducer<String, String> producer = new KafkaProducer<>(fx.kafka.producer("advancer-it"),
                 new StringSerializer(), new StringSerializer())) {
            String app = KafkaClusterExtension.unique("topology");
            TopicPartition tp = new TopicPartition(fx.nodeTopic("node-a:1", 1), 0);
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(tp.topic(), "k", "r" + i)).get();
            }
            commit(fx.admin, TopologyGroups.relayGroup(app), tp, relay);
            commit(fx.admin, app, tp, streams);
            long expected = relay != null ? relay : streams != null ? streams : 5;
            LogStartAdvancer advancer = new LogStartAdvancer(fx.admin, app, Clock.systemUTC(), 0);
            advancer.committed(tp, 5);
            await().atMost(WAIT).untilAsserted(() -> {
                advancer.maybeAdvance();
                assertThat(logStart(fx.admin, tp)).isEqualTo(expected);
            });
            // And it goes no further on later runs
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    advancer.forget(tp);
                    advancer.committed(tp, 5);
                    advancer.maybeAdvance();
                    assertThat(logStart(fx.admin, tp)).isEqualTo(expected);
                });
            return logStart(fx.admin, tp);
        }
    }

    private static void commit(Admin admin, String group, TopicPartition tp, Long offset) throws Exception {
        if (offset != null) {
            admin.alterConsumerGroupOffsets(group, Map.of(tp, new OffsetAndMetadata(offset))).all().get();
        }
    }

    private static long logStart(Admin admin, TopicPartition tp) throws Exception {
        return admin.listOffsets(Map.of(tp, OffsetSpec.earliest())).partitionResult(tp).get().offset();
    }
}
