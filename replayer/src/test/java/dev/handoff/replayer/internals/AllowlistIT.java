package dev.handoff.replayer.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handoff.datanode.DataNode;
import dev.handoff.datanode.DataNodeSettings;
import dev.handoff.protocol.Completion;
import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.json.Codecs;
import dev.handoff.replayer.Replayer;
import dev.handoff.testkit.FakePartStore;
import dev.handoff.testkit.KafkaClusterExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, item 8: {@code --allowed-sources} and {@code --allowed-nodes} on a real broker. A record naming a source
 * or node outside them is parked {@code not-allowed} before anything is dialled; the others are delivered.
 */
class AllowlistIT {
    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.shared();

    @TempDir
    Path tmp;
    private KafkaFixture kafka;
    private FakePartStore store;
    private DataNode node;

    @BeforeEach
    void setUp() throws Exception {
        kafka = new KafkaFixture(KAFKA.bootstrapServers());
        store = new FakePartStore(Files.createDirectories(tmp.resolve("store")));
        node = new DataNode(DataNodeSettings.builder(tmp.resolve("node")).listen("localhost", 0).build()).start();
    }

    @AfterEach
    void tearDown() throws Exception {
        node.close();
        store.close();
        kafka.close();
    }

    @Test
    void shouldParkRecordsWhoseSourceOrNodeIsNotAllowedAndDeliverTheRest() throws Exception {
        // Given, for the allowed node: a good bundle, one whose source is a host outside the list, another good one
        String topic = kafka.nodeTopic(node.address(), 1);
        EnqueueRecord first = Bundles.write(store, node.address(), new PartKey("liaison-1", "g", 0, 1), 1000);
        EnqueueRecord good = Bundles.write(store, node.address(), new PartKey("liaison-1", "g", 0, 3), 1000);
        EnqueueRecord elsewhere = withSource(Bundles.write(store, node.address(), new PartKey("liaison-1", "g", 0, 2), 1000),
            "liaison.attacker.example:17913");
        kafka.enqueue(first, 0);
        kafka.enqueue(elsewhere, 0);
        kafka.enqueue(good, 0);
        // And a bundle for a node outside the list (an address nobody listens on: it would be retried forever)
        String outside = "10.255.255.1:9";
        String outsideTopic = kafka.nodeTopic(outside, 1);
        EnqueueRecord forOutside = Bundles.write(store, outside, new PartKey("liaison-1", "g", 0, 4), 1000);
        kafka.enqueue(forOutside, 0);

        // When a replayer allows sources named localhost and nodes on localhost or in 127.0.0.0/8
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Replayer replayer = new Replayer(kafka.settings("r1").allowedSources(List.of("localhost"))
            .allowedNodes(List.of("localhost", "127.0.0.0/8")).build(), registry, Clock.systemUTC())) {
            replayer.start();

            // Then the allowed ones are applied and every offset is committed
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(node.appliedCount(first.part())).isEqualTo(1);
                assertThat(node.appliedCount(good.part())).isEqualTo(1);
                assertThat(kafka.committed()).containsEntry(new TopicPartition(topic, 0), 3L)
                    .containsEntry(new TopicPartition(outsideTopic, 0), 1L);
            });
            assertThat(registry.get("handoff.replay.parked").tag("reason", ParkReason.NOT_ALLOWED).counter().count())
                .isEqualTo(2.0);
        }
        assertThat(node.appliedCount(elsewhere.part())).isZero();

        // And the two others are parked not-allowed, bytes unchanged, with the address and the list in the error
        List<ConsumerRecord<String, byte[]>> parked = kafka.readAll(kafka.topics.parked());
        assertThat(parked).extracting(r -> header(r, "handoff.reason"))
            .containsExactlyInAnyOrder(ParkReason.NOT_ALLOWED, ParkReason.NOT_ALLOWED);
        assertThat(parked).extracting(r -> Codecs.ENQUEUE.decode(r.value())).containsExactlyInAnyOrder(elsewhere, forOutside);
        assertThat(parked).extracting(r -> header(r, "handoff.error")).containsExactlyInAnyOrder(
            "source liaison.attacker.example:17913 is not in --allowed-sources localhost",
            "node 10.255.255.1:9 is not in --allowed-nodes localhost,127.0.0.0/8");
        assertThat(completions()).extracting(Completion::part, Completion::outcome).contains(
            org.assertj.core.groups.Tuple.tuple(elsewhere.part(), Completion.Outcome.PARKED),
            org.assertj.core.groups.Tuple.tuple(forOutside.part(), Completion.Outcome.PARKED));
    }

    private List<Completion> completions() throws Exception {
        List<Completion> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : kafka.readAll(kafka.topics.completions())) {
            out.add(Codecs.COMPLETION.decode(r.value()));
        }
        return out;
    }

    private static EnqueueRecord withSource(EnqueueRecord r, String source) {
        return new EnqueueRecord(r.node(), r.targets(), r.liaison(), source, r.group(), r.shard(), r.partId(), r.types(),
            r.bytes(), r.enqueuedAt(), r.expiresAt());
    }

    private static String header(ConsumerRecord<String, byte[]> r, String key) {
        return new String(r.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
    }
}
