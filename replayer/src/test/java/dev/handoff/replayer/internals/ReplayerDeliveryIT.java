package dev.handoff.replayer.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handoff.datanode.DataNode;
import dev.handoff.protocol.Completion;
import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.FileEntry;
import dev.handoff.protocol.Health;
import dev.handoff.protocol.NodeStatus;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.PartTypeEntry;
import dev.handoff.protocol.json.Codecs;
import dev.handoff.replayer.Replayer;
import dev.handoff.testkit.SharedKafkaTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReplayerDeliveryIT extends SharedKafkaTest {
    private ReplayRig rig;
    private DataNode node;

    @BeforeEach
    void setUp() throws Exception {
        rig = new ReplayRig(KAFKA, tmp);
        node = ReplayRig.dataNode(tmp.resolve("node"), Duration.ZERO);
    }

    @AfterEach
    void tearDown() throws Exception {
        node.close();
        rig.close();
    }

    @Test
    void shouldDeliverEveryBundleExactlyOnceWhenTheNodeComesBack() throws Exception {
        // Given a node reported DOWN, a running replayer and 100 bundles enqueued for the node
        String topic = rig.kafka.nodeTopic(node.address(), 2);
        rig.kafka.status(node.address(), Health.DOWN);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<EnqueueRecord> records = new ArrayList<>();
        try (Replayer replayer = new Replayer(rig.kafka.settings("r1").build(), registry, Clock.systemUTC())) {
            replayer.start();
            records.addAll(rig.enqueueBundles(node.address(), 0, 100, 2, i -> new PartKey("liaison-1", "g", i % 4, 1000 + i)));

            // Then nothing is delivered while the node is DOWN: its partitions are paused
            await().atMost(Duration.ofSeconds(30)).until(replayer::isReady);
            await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(registry.get("handoff.replay.paused.nodes").gauge().value()).isEqualTo(1.0));
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> node.totalApplied() == 0);

            // When the node is UP again
            rig.kafka.status(node.address(), Health.UP);

            // Then every bundle is applied exactly once with identical bytes
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(node.totalApplied()).isEqualTo(100));
            ReplayRig.assertAppliedOnceIntact(node, records);
            for (EnqueueRecord r : records) {
                assertSameBytes(r);
            }

            // And the offsets are committed to the end and the log start advanced to them
            Map<org.apache.kafka.common.TopicPartition, Long> ends = rig.kafka.offsets(topic, OffsetSpec.latest());
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(rig.kafka.committed()).isEqualTo(ends);
                assertThat(rig.kafka.offsets(topic, OffsetSpec.earliest())).isEqualTo(ends);
            });
            assertThat(registry.get("handoff.replay.parts").tag("outcome", "delivered").counter().count()).isEqualTo(100);
        }

        // And there is exactly one committed completion per bundle, DELIVERED
        List<Completion> completions = rig.kafka.completions();
        assertThat(completions).hasSize(100).allMatch(c -> c.outcome() == Completion.Outcome.DELIVERED);
        assertThat(completions.stream().map(Completion::part).collect(Collectors.toSet()))
            .isEqualTo(records.stream().map(EnqueueRecord::part).collect(Collectors.toSet()));
    }

    @Test
    void shouldParkUnreadableMismatchedAndMissingRecordsAndDeliverTheOnesAfterThem() throws Exception {
        // Given, on one partition: a good bundle, bad JSON, a checksum mismatch, a bundle gone from its source, a good bundle
        String topic = rig.kafka.nodeTopic(node.address(), 1);
        EnqueueRecord first = Bundles.write(rig.store, node.address(), new PartKey("liaison-1", "g", 0, 1), 1000);
        EnqueueRecord mismatched = withWrongCrc(Bundles.write(rig.store, node.address(), new PartKey("liaison-1", "g", 0, 2), 1000));
        EnqueueRecord missing = Bundles.record(rig.store, node.address(), new PartKey("liaison-1", "g", 0, 3), first.types(), 1000);
        EnqueueRecord last = Bundles.write(rig.store, node.address(), new PartKey("liaison-1", "g", 0, 4), 1000);
        rig.kafka.enqueue(first, 0);
        rig.kafka.send(topic, 0, "g/0", "{\"v\":1, this is not json".getBytes(StandardCharsets.UTF_8));
        rig.kafka.enqueue(mismatched, 0);
        rig.kafka.enqueue(missing, 0);
        rig.kafka.enqueue(last, 0);

        // When a replayer runs
        try (Replayer replayer = new Replayer(rig.kafka.settings("r1").build(), new SimpleMeterRegistry(), Clock.systemUTC())) {
            replayer.start();

            // Then the good ones are applied and all five offsets committed
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(node.appliedCount(first.part())).isEqualTo(1);
                assertThat(node.appliedCount(last.part())).isEqualTo(1);
                assertThat(rig.kafka.committed()).containsEntry(new org.apache.kafka.common.TopicPartition(topic, 0), 5L);
            });
        }
        assertThat(node.appliedCount(mismatched.part())).isZero();
        assertThat(node.appliedCount(missing.part())).isZero();

        // And the three bad ones are parked with their reason and origin, bytes unchanged
        List<ConsumerRecord<String, byte[]>> parked = rig.kafka.readAll(rig.kafka.topics.parked());
        assertThat(parked).extracting(r -> header(r, "handoff.reason"))
            .containsExactly(ParkReason.INVALID_RECORD, ParkReason.CHECKSUM, ParkReason.SOURCE_NOT_FOUND);
        assertThat(parked).extracting(r -> header(r, "handoff.offset")).containsExactly("1", "2", "3");
        assertThat(parked).allSatisfy(r -> {
            assertThat(r.key()).isEqualTo(node.address());
            assertThat(header(r, "handoff.topic")).isEqualTo(topic);
            assertThat(header(r, "handoff.partition")).isEqualTo("0");
        });
        assertThat(Codecs.ENQUEUE.decode(parked.get(1).value())).isEqualTo(mismatched);

        // And completions: two DELIVERED, two PARKED (the unreadable record has no PartKey, so no completion)
        assertThat(rig.kafka.completions()).extracting(Completion::part, Completion::outcome).containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(first.part(), Completion.Outcome.DELIVERED),
            org.assertj.core.groups.Tuple.tuple(mismatched.part(), Completion.Outcome.PARKED),
            org.assertj.core.groups.Tuple.tuple(missing.part(), Completion.Outcome.PARKED),
            org.assertj.core.groups.Tuple.tuple(last.part(), Completion.Outcome.DELIVERED));
    }

    @Test
    void shouldReportAnUnreachableNodeDownAndKeepItsRecordsForLater() throws Exception {
        // Given a record for a node nobody listens on, and no node status at all (topology not running)
        String nowhere = "localhost:1";
        String topic = rig.kafka.nodeTopic(nowhere, 1);
        EnqueueRecord r = Bundles.write(rig.store, nowhere, new PartKey("liaison-1", "g", 0, 77), 1000);
        rig.kafka.enqueue(r, 0);

        // When a replayer with a retry budget of 1 tries to deliver it
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Replayer replayer = new Replayer(rig.kafka.settings("r-down").retryBudget(1).build(), registry, Clock.systemUTC())) {
            replayer.start();

            // Then it reports the node DOWN as itself, retries, and neither parks nor completes the record
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(rig.kafka.readAll(rig.kafka.topics.health())).extracting(h -> Codecs.HEALTH.decode(h.value()))
                    .anySatisfy(h -> {
                        assertThat(h.node()).isEqualTo(nowhere);
                        assertThat(h.status()).isEqualTo(Health.DOWN);
                        assertThat(h.observer()).isEqualTo("replayer:r-down");
                    });
                // The counter appears at the first retry, which the poll thread counts after the DOWN report was sent
                io.micrometer.core.instrument.Counter retries = registry.find("handoff.replay.retries").tag("node", nowhere).counter();
                assertThat(retries == null ? 0 : retries.count()).isGreaterThanOrEqualTo(2);
            });
        }
        assertThat(rig.kafka.readAll(rig.kafka.topics.parked())).isEmpty();
        assertThat(rig.kafka.readAll(rig.kafka.topics.completions())).isEmpty();
        // (the group holds the partition's log start, committed on assignment, so its lag is the record)
        assertThat(rig.kafka.committed()).isEqualTo(Map.of(new org.apache.kafka.common.TopicPartition(topic, 0), 0L));
    }

    @Test
    void shouldCompleteRecordsBeforeTruncateBeforeAsTruncatedWithoutDelivering() throws Exception {
        // Given a node whose status truncates at t=2000, and records enqueued at 1000 and 3000
        String topic = rig.kafka.nodeTopic(node.address(), 1);
        NodeStatus truncating = new NodeStatus(node.address(), Health.UP, false, 2000L, 2, 0, null, 2000);
        rig.kafka.send(rig.kafka.topics.nodeStatus(), null, node.address(), Codecs.NODE_STATUS.encode(truncating));
        EnqueueRecord old = Bundles.write(rig.store, node.address(), new PartKey("liaison-1", "g", 0, 11), 1000);
        EnqueueRecord fresh = Bundles.write(rig.store, node.address(), new PartKey("liaison-1", "g", 0, 12), 3000);
        rig.kafka.enqueue(old, 0);
        rig.kafka.enqueue(fresh, 0);

        // When a replayer runs
        try (Replayer replayer = new Replayer(rig.kafka.settings("r1").build(), new SimpleMeterRegistry(), Clock.systemUTC())) {
            replayer.start();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(rig.kafka.committed()).containsEntry(new org.apache.kafka.common.TopicPartition(topic, 0), 2L));
        }

        // Then only the newer one is delivered; the older one is completed TRUNCATED
        assertThat(node.appliedCount(old.part())).isZero();
        assertThat(node.appliedCount(fresh.part())).isEqualTo(1);
        assertThat(rig.kafka.completions()).extracting(Completion::part, Completion::outcome).containsExactly(
            org.assertj.core.groups.Tuple.tuple(old.part(), Completion.Outcome.TRUNCATED),
            org.assertj.core.groups.Tuple.tuple(fresh.part(), Completion.Outcome.DELIVERED));
    }

    @Test
    void shouldCompleteTheTruncatedBacklogOfANodeThatStaysDown() throws Exception {
        // Given a running replayer that knows the node is DOWN (decommissioned, say)
        String topic = rig.kafka.nodeTopic(node.address(), 1);
        NodeStatus down = new NodeStatus(node.address(), Health.DOWN, false, null, 0, 0, null, 2000);
        rig.kafka.send(rig.kafka.topics.nodeStatus(), null, node.address(), Codecs.NODE_STATUS.encode(down));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Replayer replayer = new Replayer(rig.kafka.settings("r1").build(), registry, Clock.systemUTC())) {
            replayer.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> replayer.isReady()
                && registry.find("handoff.replay.paused.nodes").gauge() != null
                && registry.find("handoff.replay.paused.nodes").gauge().value() == 1.0);

            // And a backlog arriving while it is down, more than a read-ahead window
            int backlog = PausePolicy.UNDELIVERABLE_WINDOW + 10;
            for (int i = 0; i < backlog; i++) {
                rig.kafka.enqueue(Bundles.write(rig.store, node.address(), new PartKey("liaison-1", "g", 0, 100 + i), 1000 + i), 0);
            }

            // When the operator truncates it while it is still DOWN
            NodeStatus truncated = new NodeStatus(node.address(), Health.DOWN, false, 5000L, backlog, 0, null, 3000);
            rig.kafka.send(rig.kafka.topics.nodeStatus(), null, node.address(), Codecs.NODE_STATUS.encode(truncated));

            // Then the whole backlog is completed TRUNCATED and committed, though the node never came back
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(rig.kafka.committed()).containsEntry(new org.apache.kafka.common.TopicPartition(topic, 0), (long) backlog));
            assertThat(rig.kafka.completions()).hasSize(backlog)
                .allSatisfy(c -> assertThat(c.outcome()).isEqualTo(Completion.Outcome.TRUNCATED));
        }
        assertThat(node.appliedCount(new PartKey("liaison-1", "g", 0, 100))).isZero();
    }

    /** Issue 17, item 8: {@code --allowed-sources} / {@code --allowed-nodes}, checked before anything is dialled. */
    @Test
    void shouldParkRecordsWhoseSourceOrNodeIsNotAllowedAndDeliverTheRest() throws Exception {
        // Given, for the allowed node: a good bundle, one whose source is a host outside the list, another good one
        String topic = rig.kafka.nodeTopic(node.address(), 1);
        EnqueueRecord first = Bundles.write(rig.store, node.address(), new PartKey("liaison-1", "g", 0, 1), 1000);
        EnqueueRecord good = Bundles.write(rig.store, node.address(), new PartKey("liaison-1", "g", 0, 3), 1000);
        EnqueueRecord elsewhere = withSource(Bundles.write(rig.store, node.address(), new PartKey("liaison-1", "g", 0, 2), 1000),
            "liaison.attacker.example:17913");
        rig.kafka.enqueue(first, 0);
        rig.kafka.enqueue(elsewhere, 0);
        rig.kafka.enqueue(good, 0);
        // And a bundle for a node outside the list (an address nobody listens on: it would be retried forever)
        String outside = "10.255.255.1:9";
        String outsideTopic = rig.kafka.nodeTopic(outside, 1);
        EnqueueRecord forOutside = Bundles.write(rig.store, outside, new PartKey("liaison-1", "g", 0, 4), 1000);
        rig.kafka.enqueue(forOutside, 0);

        // When a replayer allows sources named localhost and nodes on localhost or in 127.0.0.0/8
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Replayer replayer = new Replayer(rig.kafka.settings("r1").allowedSources(List.of("localhost"))
            .allowedNodes(List.of("localhost", "127.0.0.0/8")).build(), registry, Clock.systemUTC())) {
            replayer.start();

            // Then the allowed ones are applied and every offset is committed
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(node.appliedCount(first.part())).isEqualTo(1);
                assertThat(node.appliedCount(good.part())).isEqualTo(1);
                assertThat(rig.kafka.committed()).containsEntry(new org.apache.kafka.common.TopicPartition(topic, 0), 3L)
                    .containsEntry(new org.apache.kafka.common.TopicPartition(outsideTopic, 0), 1L);
            });
            assertThat(registry.get("handoff.replay.parked").tag("reason", ParkReason.NOT_ALLOWED).counter().count())
                .isEqualTo(2.0);
        }
        assertThat(node.appliedCount(elsewhere.part())).isZero();

        // And the two others are parked not-allowed, bytes unchanged, with the address and the list in the error
        List<ConsumerRecord<String, byte[]>> parked = rig.kafka.readAll(rig.kafka.topics.parked());
        assertThat(parked).extracting(r -> header(r, "handoff.reason"))
            .containsExactlyInAnyOrder(ParkReason.NOT_ALLOWED, ParkReason.NOT_ALLOWED);
        assertThat(parked).extracting(r -> Codecs.ENQUEUE.decode(r.value())).containsExactlyInAnyOrder(elsewhere, forOutside);
        assertThat(parked).extracting(r -> header(r, "handoff.error")).containsExactlyInAnyOrder(
            "source liaison.attacker.example:17913 is not in --allowed-sources localhost",
            "node 10.255.255.1:9 is not in --allowed-nodes localhost,127.0.0.0/8");
        assertThat(rig.kafka.completions()).extracting(Completion::part, Completion::outcome).contains(
            org.assertj.core.groups.Tuple.tuple(elsewhere.part(), Completion.Outcome.PARKED),
            org.assertj.core.groups.Tuple.tuple(forOutside.part(), Completion.Outcome.PARKED));
    }

    private void assertSameBytes(EnqueueRecord r) throws Exception {
        for (PartTypeEntry t : r.types()) {
            for (FileEntry f : t.files()) {
                byte[] sent = Files.readAllBytes(rig.store.bundleDir(r.part()).resolve(t.type()).resolve(f.name()));
                byte[] applied = Files.readAllBytes(node.bundleDir(r.part()).resolve(t.type()).resolve(f.name()));
                assertThat(applied).as("%s %s/%s", r.part(), t.type(), f.name()).isEqualTo(sent);
            }
        }
    }

    private static EnqueueRecord withSource(EnqueueRecord r, String source) {
        return new EnqueueRecord(r.node(), r.targets(), r.liaison(), source, r.group(), r.shard(), r.partId(), r.types(),
            r.bytes(), r.enqueuedAt(), r.expiresAt());
    }

    /** The same bundle, but its record claims another CRC32C for the sidx_a file than the bytes have. */
    private static EnqueueRecord withWrongCrc(EnqueueRecord r) {
        List<PartTypeEntry> types = new ArrayList<>();
        for (PartTypeEntry t : r.types()) {
            if (!t.type().equals("sidx_a")) {
                types.add(t);
                continue;
            }
            FileEntry f = t.files().get(0);
            types.add(new PartTypeEntry(t.type(), List.of(new FileEntry(f.name(), f.size(), (f.crc32c() + 1) & 0xFFFF_FFFFL)), t.meta()));
        }
        return new EnqueueRecord(r.node(), r.targets(), r.liaison(), r.source(), r.group(), r.shard(), r.partId(), types,
            r.bytes(), r.enqueuedAt(), r.expiresAt());
    }

    private static String header(ConsumerRecord<String, byte[]> r, String key) {
        return new String(r.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
    }

}
