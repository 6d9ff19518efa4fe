package dev.handoff.e2e.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handoff.datanode.DataNode;
import dev.handoff.producer.HandoffProducer;
import dev.handoff.protocol.Completion;
import dev.handoff.cli.Main;
import dev.handoff.protocol.NodeStatus;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.Release;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Issue 17 item 4, on a real broker with every role: a node that is gone for good is retargeted to the node that
 * replaces it. Its pending records (and one enqueued after the command) move to the new node's topic, each in one
 * transaction with the old record's RETARGETED completion; the new node receives every bundle once; no bundle is
 * released before every live target has it; the store empties.
 */
class RetargetIT extends SharedClusterScenario {
    @Test
    void shouldMoveADeadNodesBacklogToItsReplacementAndReleaseEachBundleOnlyOnceItsReplacementHasIt(Stack stack) throws Exception {
        // Given data node A up, OLD dead for good (nothing listens on its port) and NEW up (300 ms per session)
        String old = "localhost:" + Stack.freePort();
        DataNode a = stack.dataNode("dn-a", 0, Duration.ZERO);
        DataNode replacement = stack.dataNode("dn-new", 0, Duration.ofMillis(300));
        String neu = replacement.address();
        for (String n : List.of(a.address(), old, neu)) {
            stack.nodeTopic(n);
        }
        stack.topology();
        HandoffProducer producer = stack.producer(0, List.of(a.address(), old, neu), b -> b);
        // (node topics keep every record: the oracle reads them, since NEW's holds transaction markers too)
        stack.replayer("r1", b -> b.logStartAdvanceInterval(Duration.ofHours(1)));
        Ledger ledger = stack.ledger().withTransactionalNodeTopics();
        ledger.expectRecordsOnly(old);
        // and 12 bundles for A and OLD, 3 for OLD and NEW (NEW is a target of those already)
        List<PartKey> moved = new ArrayList<>();
        for (long id = 1; id <= 15; id++) {
            Parts.Written w = Parts.write(stack.source(), id, 8 * 1024);
            List<String> targets = id <= 12 ? List.of(a.address(), old) : List.of(old, neu);
            producer.enqueue(w.bundle(), targets);
            ledger.expect(w, id <= 12 ? new String[] {a.address(), neu} : new String[] {neu});
            moved.add(w.key());
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> a.totalApplied() == 12 && replacement.totalApplied() == 3);
        await().atMost(Duration.ofSeconds(30)).until(() -> pending(ledger, old) == 15);
        assertThat(ledger.releases()).as("released while OLD still needs every bundle").isEmpty();
        assertThat(producer.usedBytes()).as("stored bytes").isPositive();

        // When the operator retargets OLD to NEW through the command line
        assertThat(Main.execute("retarget", old, neu, "--bootstrap-servers=" + stack.bootstrap,
            "--topic-prefix=" + stack.topics.prefix())).as("handoff retarget exit code").isZero();
        // and the liaison, not told yet, enqueues one more bundle for A and OLD
        Parts.Written late = Parts.write(stack.source(), 16, 8 * 1024);
        producer.enqueue(late.bundle(), List.of(a.address(), old));
        ledger.expect(late, a.address(), neu);
        moved.add(late.key());

        // Then NEW receives every bundle of OLD once, and no Release comes before NEW applied its bundle
        Map<String, DataNode> nodes = Map.of(a.address(), a, neu, replacement);
        Set<PartKey> releasedEarly = new HashSet<>();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
            for (Release r : ledger.releases()) {
                if (replacement.appliedCount(r.part()) == 0) {
                    releasedEarly.add(r.part());
                }
            }
            return ledger.missing(nodes) == 0 && ledger.drained();
        });
        assertThat(releasedEarly).as("bundles released before NEW had them").isEmpty();
        Ledger.Result result = ledger.check(nodes).report("retarget", "moved=" + moved.size());
        // And OLD's records are completed RETARGETED to NEW, one each, in the transactions that moved them
        List<Completion> completions = ledger.completions();
        List<Completion> ofOld = completions.stream().filter(c -> c.node().equals(old)).toList();
        assertThat(ofOld).hasSize(16).allSatisfy(c -> {
            assertThat(c.outcome()).isEqualTo(Completion.Outcome.RETARGETED);
            assertThat(c.retargetedTo()).isEqualTo(neu);
        });
        assertThat(ofOld.stream().map(Completion::part).collect(Collectors.toSet())).isEqualTo(new HashSet<>(moved));
        // And NEW has one record per bundle: 13 copies, none for the 3 it was a target of already
        Map<PartKey, Long> newRecords = completions.stream().filter(c -> c.node().equals(neu))
            .collect(Collectors.groupingBy(Completion::part, Collectors.counting()));
        assertThat(newRecords).hasSize(16).allSatisfy((part, n) -> assertThat(n).isEqualTo(1L));
        assertThat(result.records()).as("records: A 13, OLD 16, NEW 3 + 13 copies").isEqualTo(13 + 16 + 16);
        // And status shows OLD drained and replaced, NEW drained; every bundle released once; the store empties
        Map<PartKey, Long> releases = ledger.awaitReleasedOnce(List.of(a.address(), old, neu), Duration.ofSeconds(60));
        assertThat(releases).hasSize(16);
        NodeStatus oldStatus = ledger.statuses().get(old);
        assertThat(oldStatus.retargetTo()).isEqualTo(neu);
        assertThat(oldStatus.pendingParts()).isZero();
        await().atMost(Duration.ofSeconds(60)).until(() -> producer.usedBytes() == 0);
        // And the replayer group's lag is 0 on every node topic, NEW's included, whose offsets end with the markers
        // of the transactions that wrote the copies (what `handoff wait` and lag-based autoscaling read)
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(lag(stack, List.of(a.address(), old, neu)))
            .allSatisfy((tp, lag) -> assertThat(lag).as("lag of %s", tp).isZero()));
    }

    private static Map<TopicPartition, Long> lag(Stack stack, List<String> nodes) throws Exception {
        try (Admin admin = Admin.create(stack.kafka.admin())) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (TopicDescription d : admin.describeTopics(nodes.stream().map(stack.topics::node).toList())
                    .allTopicNames().get().values()) {
                d.partitions().forEach(p -> latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest()));
            }
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(stack.replayerGroup)
                .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, Long> lag = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, end) -> {
                OffsetAndMetadata at = committed.get(tp);
                lag.put(tp, end.offset() - (at == null ? 0 : at.offset()));
            });
            return lag;
        }
    }

    private static long pending(Ledger ledger, String node) throws Exception {
        NodeStatus s = ledger.statuses().get(node);
        return s == null ? -1 : s.pendingParts();
    }
}
