package dev.handoff.e2e.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.handoff.datanode.DataNode;
import dev.handoff.producer.HandoffProducer;
import dev.handoff.producer.NodeQuotaFullException;
import dev.handoff.protocol.Completion;
import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.json.Codecs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, items 5 and 6, on a real broker with every role: {@code --max-age} expires records (EXPIRED, never
 * delivered, bundle released) and {@code --store-max-bytes-per-node} keeps one dead node from taking the store.
 */
class ExpiryAndQuotaIT extends SharedClusterScenario {
    @Test
    void shouldCompleteExpiredRecordsAsExpiredWithoutDeliveryAndReleaseTheirBundle(Stack stack) throws Exception {
        // Given a producer whose records expire after 2 s, a topology, a replayer, and a data node that is down
        int port = Stack.freePort();
        String node = "localhost:" + port;
        stack.nodeTopic(node);
        stack.topology();
        HandoffProducer producer = stack.producer(0, List.of(node), b -> b.maxAge(Duration.ofSeconds(2)));
        stack.replayer("r1");
        Parts.Written part = Parts.write(stack.source(), 7, 4_000);
        Path bundleDir = stack.store().resolve(Stack.LIAISON).resolve(Parts.GROUP)
            .resolve(Integer.toString(part.key().shard())).resolve(String.format("%016x", part.key().partId()));

        // When a bundle is enqueued for it
        producer.enqueue(part.bundle(), List.of(node));

        // Then its record carries expiresAt = enqueuedAt + 2 s
        EnqueueRecord record = onlyRecord(stack, node);
        assertThat(record.expiresAt()).isEqualTo(record.enqueuedAt() + 2_000);
        assertThat(Files.exists(bundleDir)).isTrue();
        // And once past it the replayer completes it as EXPIRED, the topology releases it and the store empties
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(stack.ledger().completions()).extracting(Completion::outcome)
                .containsExactly(Completion.Outcome.EXPIRED);
            assertThat(producer.usedBytes()).isZero();
            assertThat(Files.exists(bundleDir)).isFalse();
        });
        assertThat(stack.ledger().releases()).hasSize(1);
        assertThat(stack.registry.get("handoff.store.expired").counter().count()).isEqualTo(1.0);
        assertThat(stack.registry.get("handoff.replay.parts").tag("outcome", "expired").counter().count())
            .isEqualTo(1.0);

        // And a data node that comes up afterwards never receives it
        DataNode dn = stack.dataNode("dn", port, Duration.ZERO);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
            assertThat(dn.totalApplied()).isZero());
    }

    @Test
    void shouldRefuseABundleOverOneNodesQuotaNamingItWhileOtherNodesStillEnqueueAndFreeItOnCompletion(Stack stack)
        throws Exception {
        // Given two data nodes that are down, and a producer whose per-node quota holds two bundles and a half
        int portA = Stack.freePort();
        int portB = Stack.freePort();
        String a = "localhost:" + portA;
        String b = "localhost:" + portB;
        stack.nodeTopic(a);
        stack.nodeTopic(b);
        stack.topology();
        List<Parts.Written> parts = Parts.writeAll(stack.source(), 4, 8_000);
        long size = Parts.size(parts.get(0));
        HandoffProducer producer = stack.producer(0, List.of(a, b),
            s -> s.storeMaxBytesPerNode(size * 5 / 2));
        stack.replayer("r1");

        // When A gets two bundles (the first for B too), and a third
        producer.enqueue(parts.get(0).bundle(), List.of(a, b));
        producer.enqueue(parts.get(1).bundle(), List.of(a));
        // Then the third is refused naming A and its numbers, and nothing of it is stored
        assertThatThrownBy(() -> producer.enqueue(parts.get(2).bundle(), List.of(a, b)))
            .isInstanceOf(NodeQuotaFullException.class)
            .hasMessageContaining("node " + a)
            .hasMessageContaining("current " + 2 * size + " bytes")
            .hasMessageContaining("requested " + size + " bytes")
            .hasMessageContaining("limit of " + size * 5 / 2 + " bytes")
            .satisfies(e -> assertThat(((NodeQuotaFullException) e).node()).isEqualTo(a));
        // And the store counts a bundle for two nodes once
        assertThat(producer.usedBytes()).isEqualTo(2 * size);
        assertThat(stack.registry.get("handoff.store.node.used.bytes").tag("node", a).gauge().value())
            .isEqualTo(2.0 * size);
        assertThat(stack.registry.get("handoff.store.node.used.bytes").tag("node", b).gauge().value())
            .isEqualTo((double) size);
        assertThat(stack.registry.get("handoff.enqueue.parts").tag("reason", "node_quota").counter().count())
            .isEqualTo(1.0);

        // When B (with one bundle) gets another, it is accepted: dead A does not take the store
        producer.enqueue(parts.get(2).bundle(), List.of(b));
        assertThat(producer.usedBytes()).isEqualTo(3 * size);

        // When A comes back and completes its bundles, its quota frees and A accepts again
        Map<String, DataNode> nodes = new HashMap<>();
        nodes.put(a, stack.dataNode("dn-a", portA, Duration.ZERO));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(nodes.get(a).totalApplied()).isEqualTo(2));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(stack.registry
            .get("handoff.store.node.used.bytes").tag("node", a).gauge().value()).isZero());
        await().atMost(Duration.ofSeconds(30)).ignoreException(NodeQuotaFullException.class)
            .until(() -> {
                producer.enqueue(parts.get(3).bundle(), List.of(a));
                return true;
            });
    }

    private static EnqueueRecord onlyRecord(Stack stack, String node) throws Exception {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(stack.kafka.consumer(null, "expiry-it"),
            new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = consumer.partitionsFor(stack.topics.node(node)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            List<EnqueueRecord> records = new ArrayList<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    records.add(Codecs.ENQUEUE.decode(r.value()));
                }
                return !records.isEmpty();
            });
            return records.get(0);
        }
    }
}
