package dev.handoff.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handoff.protocol.Topics;
import dev.handoff.protocol.common.TopicAdmin;
import dev.handoff.testkit.KafkaClusterExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.FileEntry;
import dev.handoff.protocol.Health;
import dev.handoff.protocol.PartTypeEntry;
import dev.handoff.protocol.NodeStatus;
import dev.handoff.protocol.common.KafkaSettings;
import dev.handoff.protocol.json.Codecs;
import dev.handoff.replayer.Replayer;
import dev.handoff.replayer.ReplayerSettings;
import dev.handoff.testkit.SharedKafkaTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.tools.consumer.group.ConsumerGroupCommand;
import org.junit.jupiter.api.Test;

/**
 * The README's "operating it with Kafka tools" claim, checked with Kafka's own kafka-consumer-groups
 * (ConsumerGroupCommand from kafka-tools): the replayer group's LAG on a node topic is that node's pending parts,
 * also for a node that was down before its first record (the replayer commits the log start of a partition its
 * group has no offset for).
 */
class ConsumerGroupLagIT extends SharedKafkaTest {
    @Test
    void shouldShowPendingPartsAsTheReplayerGroupsLag() throws Exception {
        // Given a node topic with 5 enqueue records, of which the replayer group committed (completed) 2
        String prefix = KafkaClusterExtension.unique("lag");
        String group = KafkaClusterExtension.unique("handoff-replayer");
        String topic = new Topics(prefix).node("datanode-1:17912");
        try (Admin admin = Admin.create(KAFKA.clientProps())) {
            TopicAdmin.ensure(admin, topic, TopicAdmin.TopicSettings.single(), TopicAdmin.nodeTopicConfigs());
            try (KafkaProducer<String, String> p = new KafkaProducer<>(KAFKA.clientProps(), new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 5; i++) {
                    p.send(new ProducerRecord<>(topic, "g/0", "{}")).get();
                }
            }
            admin.alterConsumerGroupOffsets(group, Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(2))).all().get();
        }

        // When the documented command runs: kafka-consumer-groups --bootstrap-server B --describe --group G
        String output = run("--bootstrap-server", KAFKA.bootstrapServers(), "--describe", "--group", group);

        // Then the node topic's line shows current offset 2, end 5, lag 3 = three pending parts
        String line = output.lines().filter(l -> l.contains(topic)).findFirst().orElseThrow(
            () -> new AssertionError("no line for " + topic + " in:\n" + output));
        assertThat(List.of(line.trim().split("\\s+"))).containsSubsequence(topic, "0", "2", "5", "3");
    }

    @Test
    void shouldShowEveryPendingPartAsLagForANodeDownSinceBeforeItsFirstRecord() throws Exception {
        // Given a node DOWN before anything was enqueued for it, then records on both partitions of its topic:
        // partition 0 with 3 records, its log start advanced to 1, and no group offset; partition 1 with 3
        // records and a group offset of 2 set before
        String prefix = KafkaClusterExtension.unique("lagdown");
        String group = KafkaClusterExtension.unique("handoff-replayer");
        Topics topics = new Topics(prefix);
        String node = "datanode-down:17912";
        String topic = topics.node(node);
        TopicPartition p0 = new TopicPartition(topic, 0);
        TopicPartition p1 = new TopicPartition(topic, 1);
        KafkaSettings kafka = KafkaSettings.of(KAFKA.bootstrapServers());
        try (Admin admin = Admin.create(KAFKA.clientProps());
             KafkaProducer<String, byte[]> p = new KafkaProducer<>(KAFKA.clientProps(), new StringSerializer(),
                 new ByteArraySerializer())) {
            TopicAdmin.ensureFixed(admin, topics, TopicAdmin.TopicSettings.single());
            TopicAdmin.ensure(admin, topic, new TopicAdmin.TopicSettings(2, (short) 1, null), TopicAdmin.nodeTopicConfigs());
            p.send(new ProducerRecord<>(topics.nodeStatus(), node, Codecs.NODE_STATUS.encode(
                new NodeStatus(node, Health.DOWN, false, null, 0, 0, null, System.currentTimeMillis())))).get();
            for (int i = 0; i < 3; i++) {
                for (TopicPartition tp : List.of(p0, p1)) {
                    EnqueueRecord r = new EnqueueRecord(node, List.of(node), "liaison-1", "localhost:1", "g", 0,
                        tp.partition() * 100L + i, List.of(new PartTypeEntry("core", List.of(new FileEntry("f", 1, 0)), Map.of())),
                        1, System.currentTimeMillis(), null);
                    p.send(new ProducerRecord<>(topic, tp.partition(), "g/0", Codecs.ENQUEUE.encode(r))).get();
                }
            }
            admin.deleteRecords(Map.of(p0, RecordsToDelete.beforeOffset(1))).all().get();
            admin.alterConsumerGroupOffsets(group, Map.of(p1, new OffsetAndMetadata(2))).all().get();

            // When a replayer of the group owns the partitions (paused: the node is DOWN)
            try (Replayer replayer = new Replayer(ReplayerSettings.builder(kafka).topicPrefix(prefix).groupId(group)
                .instanceId("lag-1").build(), new SimpleMeterRegistry(), Clock.systemUTC())) {
                replayer.start();

                // Then the group holds partition 0's log start, and partition 1's offset untouched
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(committed(admin, group)).isEqualTo(Map.of(p0, 1L, p1, 2L)));
                // And kafka-consumer-groups shows every pending record as lag, no "-"
                String output = run("--bootstrap-server", KAFKA.bootstrapServers(), "--describe", "--group", group);
                List<String> lines = output.lines().filter(l -> l.contains(topic)).toList();
                assertThat(lines).as(output).hasSize(2);
                List<List<String>> rows = lines.stream().map(l -> List.of(l.trim().split("\\s+"))).toList();
                // partition, current offset, log end, lag
                assertThat(rows).as(output).anySatisfy(r -> assertThat(r).containsSubsequence(topic, "0", "1", "3", "2"));
                assertThat(rows).as(output).anySatisfy(r -> assertThat(r).containsSubsequence(topic, "1", "2", "3", "1"));
                // And nothing moves while the node stays DOWN
                await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).untilAsserted(() ->
                    assertThat(committed(admin, group)).isEqualTo(Map.of(p0, 1L, p1, 2L)));
            }
        }
    }

    private static Map<TopicPartition, Long> committed(Admin admin, String group) throws Exception {
        Map<TopicPartition, Long> out = new java.util.HashMap<>();
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().forEach((tp, o) -> {
            if (o != null) {
                out.put(tp, o.offset());
            }
        });
        return out;
    }

    private static String run(String... args) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        Exit.setExitProcedure((code, message) -> {
            throw new IllegalStateException("kafka-consumer-groups exited with " + code + ": " + message);
        });
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            ConsumerGroupCommand.main(args);
        } finally {
            System.setOut(original);
            Exit.resetExitProcedure();
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
