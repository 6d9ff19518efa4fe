package dev.handoff.e2e.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.handoff.datanode.DataNode;
import dev.handoff.producer.HandoffProducer;
import dev.handoff.producer.PublishException;
import dev.handoff.protocol.HandoffException;
import dev.handoff.protocol.common.TopicAdmin.TopicSettings;
import dev.handoff.testkit.KafkaClusterExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario 5: three broker processes beside a controller, every topic replicated 3 times with
 * min.insync.replicas=2; brokers die by SIGKILL and restart on their data.
 */
class MultiBrokerFaultIT {
    @RegisterExtension
    static final StackExtension STACKS = StackExtension.on(KafkaClusterExtension.processes(3),
        new TopicSettings(2, (short) 3, 2));

    @Test
    void shouldLoseNothingWithOneBrokerDownAndRefuseEnqueueBelowMinInsyncReplicas(Stack stack) throws Exception {
        // Given every role on a 3-broker cluster (RF 3, min ISR 2 for every handoff topic and the topology's own)
        DataNode node = stack.dataNode("node-1", 0, Duration.ofMillis(200));
        stack.topology();
        HandoffProducer producer = stack.producer(0, List.of(node.address()), b -> b.publishTimeout(Duration.ofSeconds(5)));
        stack.replayer("r1");
        Ledger ledger = stack.ledger();
        List<Parts.Written> parts = Parts.writeAll(stack.source(), 42, 16 * 1024);

        // When one broker is killed in the middle of enqueueing (and of the drain that runs alongside); its
        // partitions have no leader until the controller's broker session times out, so a liaison retries
        int retriesAfterKill = 0;
        for (int i = 0; i < 30; i++) {
            if (i == 10) {
                STACKS.cluster().stopBroker(2);
            }
            retriesAfterKill += enqueueRetrying(producer, parts.get(i), node.address());
            ledger.expect(parts.get(i), node.address());
        }
        long appliedWhileEnqueueing = node.totalApplied();
        // and the drain finishes with one broker down
        Map<String, DataNode> nodes = Map.of(node.address(), node);
        ledger.awaitDrained(nodes, Duration.ofSeconds(90));

        // Then with a second broker down, enqueue refuses instead of pretending
        STACKS.cluster().stopBroker(1);
        Parts.Written refused = parts.get(30);
        long refusing = System.nanoTime();
        assertThatThrownBy(() -> producer.enqueue(refused.bundle(), List.of(node.address())))
            .isInstanceOf(PublishException.class)
            .satisfies(e -> assertThat(((HandoffException) e).retriable()).as("retriable").isTrue());
        long refusalSeconds = (System.nanoTime() - refusing) / 1_000_000_000L;
        // within the 5 s publish timeout (plus slack), not Kafka's 120 s delivery timeout
        assertThat(refusalSeconds).as("seconds until the refusal").isLessThan(20);
        ledger.expect(refused, node.address());

        // And once the brokers return, the refused enqueue and new ones succeed
        STACKS.cluster().startBroker(1);
        STACKS.cluster().startBroker(2);
        int retriesUntilAccepted = enqueueRetrying(producer, refused, node.address());
        Parts.enqueue(producer, ledger, parts.subList(31, 42), node.address());

        // And every acknowledged or refused-then-retried bundle is applied once, one completion per record
        ledger.awaitDrained(nodes, Duration.ofSeconds(180));
        long seconds = stack.seconds();
        ledger.check(nodes).report("three-brokers-min-isr", "appliedWhileEnqueueing=" + appliedWhileEnqueueing
            + " retriesAfterKill=" + retriesAfterKill + " refusedBelowMinIsr=1 refusalSeconds=" + refusalSeconds + " retriesUntilAccepted=" + retriesUntilAccepted + " seconds=" + seconds);
        await().atMost(Duration.ofSeconds(60)).until(() -> producer.usedBytes() == 0);
    }

    /**
     * Enqueues as a liaison does: a refused publish (retriable; the bundle stays stored) is tried again until
     * accepted, within 90 s. Returns how many refusals it took.
     */
    private static int enqueueRetrying(HandoffProducer producer, Parts.Written part, String node) throws Exception {
        int refusals = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            try {
                producer.enqueue(part.bundle(), List.of(node));
                return refusals;
            } catch (PublishException e) {
                refusals++;
                assertThat(System.nanoTime()).as("enqueue accepted again within 90 s").isLessThan(deadline);
            }
        }
    }
}
