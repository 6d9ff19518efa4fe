package dev.handoff.e2e.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handoff.datanode.DataNode;
import dev.handoff.protocol.Completion;
import dev.handoff.testkit.BlackHoleProxy;
import dev.handoff.testkit.ProcessKafkaCluster;
import io.micrometer.core.instrument.Counter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 8: network partitions that black-hole traffic (no RST, no FIN: packets vanish), held longer than
 * the replayer's deadlines, then healed. Each hop the replayer uses goes through a {@link BlackHoleProxy}:
 * the data node, the part store, the broker.
 */
class NetworkPartitionFaultIT extends SharedClusterScenario {
    /** The replayer's sync deadline in these scenarios; the partition is held well past it. */
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration PARTITION = Duration.ofSeconds(10);
    /**
     * The replayer's Kafka clients give up on a request after 10 s (default 30 s), as an operator who wants a
     * partition noticed sooner configures them ({@code --kafka-config}).
     */
    private static final Map<String, String> REPLAYER_KAFKA = Map.of("request.timeout.ms", "10000");
    private static final int PARTS = 40;
    /**
     * How soon after the heal the drain must be over: measured 2-6 s; a replayer that waits for gRPC keepalive
     * (30 s + 20 s) on a dead connection misses it (measured 43 s, and no end at all for a fetch).
     */
    private static final Duration AFTER_HEAL = Duration.ofSeconds(25);
    /** For the broker: the replayer's clients notice the dead connections at their 10 s request timeout, then rejoin. */
    private static final Duration BROKER_AFTER_HEAL = Duration.ofSeconds(45);

    @Test
    void shouldDeliverEveryPartOnceWhenTheDataNodeIsPartitionedFromTheReplayer(Stack stack) throws Exception {
        // Given a data node reachable only through a proxy (the records' node address and the producer's
        // health checks both name the proxy), and a backlog of 40 bundles draining into it
        DataNode node = stack.dataNode("node-1", 0, Duration.ofMillis(100));
        try (BlackHoleProxy proxy = BlackHoleProxy.start("localhost", node.port())) {
            Ledger ledger = stack.backlog(PARTS, 32 * 1024, proxy.address()).ledger();
            stack.replayer("r1", b -> b.maxPartsPerSec(8).sessionTimeout(SESSION_TIMEOUT));

            // When the network between them black-holes mid-drain for longer than the sync deadline, then heals
            // Then the drain completes soon after the heal (not when keepalive drops the dead connections, ~50 s
            // after they went silent), every bundle applied once, one completion per record
            partitionAndDrain(stack, proxy, ledger, Map.of(proxy.address(), node), retriedSince(stack), AFTER_HEAL,
                "partition-datanode");
        }
    }

    @Test
    void shouldDeliverEveryPartOnceWhenThePartStoreIsPartitionedFromTheReplayer(Stack stack) throws Exception {
        // Given a producer that advertises a proxy as its part store, so replayers fetch through it,
        // and a backlog of 40 bundles draining into a data node
        DataNode node = stack.dataNode("node-1", 0, Duration.ofMillis(100));
        int storePort = Stack.freePort();
        try (BlackHoleProxy proxy = BlackHoleProxy.start("localhost", storePort)) {
            Ledger ledger = stack.backlog(storePort, b -> b.advertisedAddress(proxy.address()), PARTS, 32 * 1024,
                node.address()).ledger();
            stack.replayer("r1", b -> b.maxPartsPerSec(8).sessionTimeout(SESSION_TIMEOUT));

            // When the network between the replayer and the part store black-holes mid-drain, then heals
            // Then the drain completes soon after the heal (a fetch across the partition does not wait for
            // keepalive, nor for ever on a connection opened during it), every bundle applied once
            partitionAndDrain(stack, proxy, ledger, Map.of(node.address(), node), retriedSince(stack), AFTER_HEAL,
                "partition-partstore");
        }
    }

    @Test
    void shouldDeliverEveryPartOnceWhenTheBrokerIsPartitionedFromTheReplayerPastItsSession(@TempDir Path tmp)
        throws Exception {
        // Given an Apache Kafka broker process with a second listener advertised as a proxy in front of it: the
        // replayer bootstraps through the proxy (and is sent back to it by metadata), every other role does not
        int externalPort = Stack.freePort();
        try (BlackHoleProxy proxy = BlackHoleProxy.start("127.0.0.1", externalPort);
             ProcessKafkaCluster kafka = ProcessKafkaCluster.start(1, Map.of(),
                 List.of(new ProcessKafkaCluster.ExternalListener(externalPort, proxy.address())));
             Stack stack = new Stack(kafka.bootstrapServers(), tmp)) {
            DataNode node = stack.dataNode("node-1", 0, Duration.ofMillis(100));
            Ledger ledger = stack.backlog(PARTS, 32 * 1024, node.address()).ledger();
            stack.replayer("r1", proxy.address(), REPLAYER_KAFKA, b -> b.maxPartsPerSec(8).sessionTimeout(SESSION_TIMEOUT));

            // When the network between the replayer and the broker black-holes mid-drain, and stays so until the
            // broker has expelled the replayer from its group (6 s session), then heals
            try (Admin admin = Admin.create(stack.kafka.admin())) {
                // Then the replayer rejoins and the drain completes: nothing lost, nothing applied twice, and its
                // aborted (or fenced) transactions leave exactly one committed completion per record
                partitionAndDrain(stack, proxy, ledger, Map.of(node.address(), node),
                    () -> groupEmpty(admin, stack.replayerGroup), BROKER_AFTER_HEAL, "partition-broker");
                assertThat(proxy.forwardedBytes()).as("the replayer's Kafka traffic went through the proxy").isPositive();
            }
        }
    }

    private static boolean groupEmpty(Admin admin, String group) {
        try {
            return admin.describeConsumerGroups(List.of(group)).all().get(5, TimeUnit.SECONDS).get(group).members().isEmpty();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot describe group " + group, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static double retries(Stack stack) {
        return stack.registry.find("handoff.replay.retries").counters().stream().mapToDouble(Counter::count).sum();
    }

    /** Holds a partition mid-drain until {@code noticed}, heals, and checks the drain ends within {@code afterHeal}. */
    static void partitionAndDrain(Stack stack, BlackHoleProxy proxy, Ledger ledger, Map<String, DataNode> nodes,
                                  BooleanSupplier noticed, Duration afterHeal, String scenario)
        throws Exception {
        DataNode node = nodes.values().iterator().next();
        Partition p = Partition.hold(stack, proxy, node::totalApplied, noticed);
        ledger.awaitDrained(nodes, afterHeal);
        p.report(ledger, nodes, scenario, stack);
    }

    /** True once the replayer retried a delivery after this call: it gave up on something across the partition. */
    static BooleanSupplier retriedSince(Stack stack) {
        double before = retries(stack);
        return () -> retries(stack) > before;
    }

    /** One partition, held mid-drain: black-holed once some bundles are applied, healed once it outlasted {@link #PARTITION}. */
    record Partition(long appliedAtStart, long appliedAtHeal, long retriesDuring, long heldMillis, long healedAt) {
        /** Black-holes {@code proxy} once 8 bundles are applied, and heals it after {@link #PARTITION} and once {@code noticed}. */
        static Partition hold(Stack stack, BlackHoleProxy proxy, LongSupplier applied, BooleanSupplier noticed) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> applied.getAsLong() >= 8);
            double retriesBefore = retries(stack);
            proxy.blackHole();
            long appliedAtStart = applied.getAsLong();
            long from = System.nanoTime();
            await().atMost(PARTITION.plusSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> System.nanoTime() - from >= PARTITION.toNanos() && noticed.getAsBoolean());
            long appliedAtHeal = applied.getAsLong();
            long retriesDuring = (long) (retries(stack) - retriesBefore);
            proxy.heal();
            long healedAt = System.nanoTime();
            return new Partition(appliedAtStart, appliedAtHeal, retriesDuring, (healedAt - from) / 1_000_000, healedAt);
        }

        void report(Ledger ledger, Map<String, DataNode> nodes, String scenario, Stack stack)
            throws Exception {
            long now = System.nanoTime();
            Ledger.Result result = ledger.check(nodes);
            // a bundle applied before its completion was committed (an aborted transaction, a timed-out answer) is
            // delivered again and completed DUPLICATE: counted here to show which path the scenario took
            long duplicates = ledger.completions().stream().filter(c -> c.outcome() == Completion.Outcome.DUPLICATE).count();
            result.report(scenario, "heldMillis=" + heldMillis + " appliedAtPartition=" + appliedAtStart
                + " appliedAtHeal=" + appliedAtHeal + " duplicateOutcomes=" + duplicates
                + " retriesDuringPartition=" + retriesDuring + " retries=" + (long) retries(stack)
                + " drainAfterHealSeconds=" + (now - healedAt) / 1_000_000_000L
                + " seconds=" + stack.seconds());
            assertThat(appliedAtStart).as("applied when the partition began").isLessThan(PARTS);
        }
    }
}
