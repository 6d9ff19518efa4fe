package dev.handoff.e2e.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handoff.datanode.DataNode;
import dev.handoff.producer.HandoffProducer;
import dev.handoff.protocol.PartKey;
import dev.handoff.testkit.ChildJvm;
import dev.handoff.testkit.KafkaClusterExtension;
import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario 11: two faults at once. (a) the replayer's JVM killed with SIGKILL while the only broker (an Apache
 * Kafka process) is dead by SIGKILL too; (b) the topology's JVM killed with SIGKILL while the producer creates
 * the topics of 20 brand-new nodes.
 */
class DoubleFaultIT {
    @RegisterExtension
    static final StackExtension STACKS = StackExtension.on(KafkaClusterExtension.processes(1));
    /** What a Kafka client of the replayer logs when its broker is gone. */
    private static final String BROKER_UNREACHABLE = "could not be established";
    private static final String THREAD_FAILED = "topology stream thread failed";

    @Test
    void shouldLoseNothingAndApplyNothingTwiceWhenTheReplayerIsKilledWhileTheBrokerIsDown(Stack stack) throws Exception {
        // Given one broker process, a slow data node (1 s per session; 16 in flight: about 16 bundles/s),
        // the topology, a producer and 100 bundles
        DataNode node = stack.dataNode("node-1", 0, Duration.ofSeconds(1));
        int parts = 100;
        Stack.Backlog backlog = stack.backlog(parts, 16 * 1024, node.address());
        Ledger ledger = backlog.ledger();
        // and a replayer JVM draining them
        ChildJvm replayer = stack.childReplayer("killed");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
            .until(() -> node.totalApplied() >= 8 || !replayer.isAlive());
        assertThat(replayer.isAlive()).as("replayer JVM alive (see %s)", replayer.log()).isTrue();

        // When the broker process is killed with SIGKILL mid-drain. The data node applies a bundle at once and
        // answers it 1 s later, so the bundles applied in the last second (at least the 8th, applied just before)
        // have completions that cannot be committed any more.
        STACKS.cluster().stopBroker(0);
        long appliedAtBrokerKill = node.totalApplied();
        // and, while it is down, the replayer has noticed the dead broker and is killed with SIGKILL too. It may
        // have delivered more in the meantime, or not: its poll thread starts new deliveries between commits, and
        // a commit under way when the broker died (the log-start commit at its start, or a completions commit)
        // waits its whole commit timeout (docs/RELIABILITY.md)
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
            .until(() -> logged(replayer, BROKER_UNREACHABLE));
        replayer.kill();
        long appliedWhileBrokerDown = node.totalApplied() - appliedAtBrokerKill;
        assertThat(node.totalApplied()).as("applied when both were dead").isLessThan(parts);
        // and the broker starts again on its data, then the replayer with the same instance id (in this JVM:
        // it fences the killed transactional id) finishes the drain
        STACKS.cluster().startBroker(0);
        long restartedAt = System.nanoTime();
        stack.replayer("killed");
        Map<String, DataNode> nodes = Map.of(node.address(), node);
        ledger.awaitDrained(nodes, Duration.ofSeconds(120));
        long drainSeconds = (System.nanoTime() - restartedAt) / 1_000_000_000L;

        // Then every bundle is applied once with one committed completion per record, and the store empties
        await().atMost(Duration.ofSeconds(60)).until(() -> backlog.producer().usedBytes() == 0);
        long seconds = stack.seconds();
        Ledger.Result result = ledger.check(nodes).report("replayer-kill-during-broker-restart",
            "appliedAtBrokerKill=" + appliedAtBrokerKill + " appliedWhileBrokerDown=" + appliedWhileBrokerDown
                + " retriesAfterRestart=" + (long) retries(stack) + " drainSecondsAfterRestart=" + drainSeconds + " seconds=" + seconds);
        // And the replayer died with applied bundles it could not complete: each was delivered again and answered
        // DUPLICATE, at least the one applied just before the broker died, and every one applied after
        assertThat(result.redeliveries()).as("DUPLICATE completions")
            .isGreaterThanOrEqualTo(Math.max(1, appliedWhileBrokerDown));
    }

    @Test
    void shouldReleaseEveryBundleOnceWhenTheTopologyIsKilledWhileTwentyNewNodesAppear(Stack stack) throws Exception {
        // Given a topology JVM, a producer, a replayer, and 20 node addresses (ports chosen now) that nobody
        // serves yet and that have no topic yet
        ChildJvm topology = stack.childTopology();
        await().atMost(Duration.ofSeconds(60)).until(() -> topology.printed("READY"));
        List<Integer> ports = java.util.Arrays.stream(dev.handoff.testkit.FreePorts.take(20)).boxed().toList();
        assertThat(ports).doesNotHaveDuplicates();
        List<String> addresses = ports.stream().map(p -> "localhost:" + p).toList();
        HandoffProducer producer = stack.producer(0, addresses, b -> b);
        stack.replayer("r1");
        Ledger ledger = stack.ledger();
        // 60 bundles, bundle i for nodes i/3 and i/3+1 (mod 20): a brand-new node topic every third enqueue
        int count = 60;
        List<Parts.Written> bundles = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Parts.Written w = Parts.write(stack.source(), i + 1, 16 * 1024);
            bundles.add(w);
            ledger.expect(w, targets(addresses, i).toArray(String[]::new));
        }

        // When the bundles are enqueued one every 150 ms, the producer creating each node's topic on first use
        AtomicInteger enqueued = new AtomicInteger();
        ScheduledExecutorService liaison = Executors.newSingleThreadScheduledExecutor();
        int enqueuedAtKill;
        int enqueuedAtRestart;
        try {
            List<Future<?>> enqueues = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                enqueues.add(liaison.schedule(() -> {
                    producer.enqueue(bundles.get(n).bundle(), targets(addresses, n));
                    return enqueued.incrementAndGet();
                }, 150L * i, TimeUnit.MILLISECONDS));
            }
            // and the topology JVM is killed with SIGKILL once 15 are in (6 node topics), while the rest appear
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> enqueued.get() >= 15);
            topology.kill();
            enqueuedAtKill = enqueued.get();
            // and a new topology JVM starts on the same application id and state directory (same log file)
            ChildJvm restarted = stack.childTopology();
            await().atMost(Duration.ofSeconds(60)).until(() -> Collections.frequency(restarted.lines(), "READY") == 2);
            enqueuedAtRestart = enqueued.get();
            for (Future<?> f : enqueues) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            liaison.shutdownNow();
        }
        assertThat(enqueuedAtKill).as("enqueues done when the topology died").isLessThan(count);
        // and then the 20 data nodes come up on their addresses
        Map<String, DataNode> nodes = new HashMap<>();
        for (int i = 0; i < ports.size(); i++) {
            nodes.put(addresses.get(i), stack.dataNode("node-" + i, ports.get(i), Duration.ZERO));
        }
        ledger.awaitDrained(nodes, Duration.ofSeconds(120));

        // Then node-status shows nothing pending on any node, every bundle is released exactly once, and the
        // producer's store empties
        Map<PartKey, Long> releases = ledger.awaitReleasedOnce(addresses, Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(60)).until(() -> producer.usedBytes() == 0);
        // And no stream thread failed: node topics reach the topology through its enqueue relay, never as a new
        // source topic of a running stream thread
        List<String> failures = topology.lines().stream().filter(l -> l.contains(THREAD_FAILED)).toList();
        long unknownTopic = failures.stream().filter(l -> l.contains("unknown to the topology")).count();
        long shutdowns = failures.stream().filter(l -> l.contains("SHUTDOWN_CLIENT")).count();
        long seconds = stack.seconds();
        ledger.check(nodes).report("topology-kill-while-nodes-appear", "nodes=" + nodes.size() + " enqueuedAtKill="
            + enqueuedAtKill + " enqueuedAtRestart=" + enqueuedAtRestart + " releases=" + releases.size()
            + " threadReplacements=" + (failures.size() - shutdowns) + " unknownTopicFailures=" + unknownTopic
            + " shutdowns=" + shutdowns + " retries=" + (long) retries(stack) + " pending=0 seconds=" + seconds);
        assertThat(failures).as("stream thread failures in the topology's log").isEmpty();
    }

    /** Bundle {@code i}'s nodes: {@code i/3} and the next one. */
    private static List<String> targets(List<String> addresses, int i) {
        return List.of(addresses.get(i / 3 % addresses.size()), addresses.get((i / 3 + 1) % addresses.size()));
    }

    private static boolean logged(ChildJvm child, String fragment) throws IOException {
        return child.lines().stream().anyMatch(l -> l.contains(fragment));
    }

    private static double retries(Stack stack) {
        return stack.registry.find("handoff.replay.retries").counters().stream().mapToDouble(Counter::count).sum();
    }
}
