package dev.handoff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.protocol.Topics;
import dev.handoff.protocol.common.TopicAdmin;
import dev.handoff.testkit.KafkaClusterExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.tools.consumer.group.ConsumerGroupCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The README's "operating it with Kafka tools" claim, checked with Kafka's own kafka-consumer-groups
 * (ConsumerGroupCommand from kafka-tools): the replayer group's LAG on a node topic is that node's pending parts.
 */
class ConsumerGroupLagIT {
    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.shared();

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
