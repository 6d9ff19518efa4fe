package dev.handoff.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handoff.protocol.Health;
import dev.handoff.protocol.HealthEvent;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.common.KafkaSettings;
import dev.handoff.protocol.json.Codecs;
import dev.handoff.testkit.KafkaClusterExtension;
import dev.handoff.topology.TopologyApp;
import dev.handoff.topology.TopologySettings;
import dev.handoff.testkit.SharedKafkaTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** A running topology quarantines unreadable health and control records; {@code handoff quarantine list} shows them. */
class QuarantineListIT extends SharedKafkaTest {
    private static final String NODE = "dn-1:17912";
    private static final byte[] GARBAGE = "{not json".getBytes(StandardCharsets.UTF_8);

    @Test
    void shouldListQuarantinedRecordsByInputWhenTheTopologyReadUnreadableOnes() throws Exception {
        // Given a running topology
        String prefix = KafkaClusterExtension.unique("quarantine");
        Topics topics = new Topics(prefix);
        TopologySettings settings = TopologySettings.builder(KafkaSettings.of(KAFKA.bootstrapServers()))
            .topicPrefix(prefix).applicationId(KafkaClusterExtension.unique("topology-q"))
            .stateDir(tmp.resolve("state")).replicationFactor(1).internalPartitions(1).build();
        try (TopologyApp topology = new TopologyApp(settings, new SimpleMeterRegistry())) {
            topology.start();

            // When garbage is written to health and control, then a valid health event
            try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers", KAFKA.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
                p.send(new ProducerRecord<>(topics.health(), NODE, GARBAGE)).get();
                p.send(new ProducerRecord<>(topics.control(), NODE, null)).get();
                p.send(new ProducerRecord<>(topics.health(), NODE,
                    Codecs.HEALTH.encode(new HealthEvent(NODE, Health.DOWN, "monitor-1", 1_000)))).get();
            }

            // Then both unreadable records are listed with input, position, key, size and reason
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                assertThat(run(prefix, "quarantine", "list").out()).contains("2 quarantined"));
            CliRun all = run(prefix, "quarantine", "list");
            assertThat(all.code()).isZero();
            assertThat(line(all, "health")).contains(topics.health() + "/0@0").contains("\"" + NODE + "\"")
                .contains(GARBAGE.length + " B").contains("invalid-record: HealthEvent: not JSON");
            assertThat(line(all, "control")).contains(topics.control() + "/0@0").contains("null")
                .contains("invalid-record: ControlCommand: no value");
            // And --input keeps only that input's records
            CliRun control = run(prefix, "quarantine", "list", "--input=control");
            assertThat(control.code()).isZero();
            assertThat(control.out()).contains("1 quarantined").contains(topics.control()).doesNotContain(topics.health() + "/");
            assertThat(run(prefix, "quarantine", "list", "--input=completions").out()).contains("0 quarantined");
            // And the stream went on: the valid health event after the garbage is in the node's status
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(run(prefix, "status").out().lines().filter(l -> l.startsWith(NODE))).singleElement()
                    .asString().contains("DOWN"));
        }
    }

    private static String line(CliRun r, String input) {
        List<String> rows = new ArrayList<>(r.out().lines().filter(l -> l.startsWith(input + " ")).toList());
        assertThat(rows).as(r.out()).hasSize(1);
        return rows.get(0);
    }

    private static CliRun run(String prefix, String... args) {
        return CliRun.of(CliRun.kafka(KAFKA.bootstrapServers(), prefix), args);
    }
}
