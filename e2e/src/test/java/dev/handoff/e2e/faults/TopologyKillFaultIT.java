package dev.handoff.e2e.faults;

import dev.handoff.testkit.ChildJvm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handoff.datanode.DataNode;
import dev.handoff.producer.HandoffProducer;
import dev.handoff.protocol.PartKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Scenario 4: the topology's JVM killed with SIGKILL during a drain and restarted on the same state directory. */
class TopologyKillFaultIT extends SharedClusterScenario {
    @Test
    void shouldReportZeroPendingAndReleaseEveryBundleOnceAfterTheTopologyIsKilledDuringADrain(Stack stack) throws Exception {
        // Given two data nodes, a topology JVM, a producer, a replayer (log start advanced every 30 s, the
        // default) and 40 bundles each enqueued for both nodes
        DataNode a = stack.dataNode("node-a", 0, Duration.ofMillis(150));
        DataNode b = stack.dataNode("node-b", 0, Duration.ofMillis(150));
        ChildJvm topology = stack.childTopology();
        await().atMost(Duration.ofSeconds(60)).until(() -> topology.printed("READY"));
        HandoffProducer producer = stack.producer(0, List.of(a.address(), b.address()), x -> x);
        Ledger ledger = stack.ledger();
        int count = 40;
        Parts.enqueue(stack.source(), producer, ledger, count, 16 * 1024, a.address(), b.address());
        // 5 bundles/s per node: the drain takes about 8 s
        stack.replayer("r1", x -> x.maxPartsPerSec(5));

        // When the topology JVM is killed with SIGKILL after some bundles were delivered
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> a.totalApplied() >= 10);
        topology.kill();
        long appliedAtKill = a.totalApplied() + b.totalApplied();
        int releasedAtKill = ledger.releases().size();
        assertThat(appliedAtKill).as("deliveries done when the topology died").isLessThan(2L * count);
        // and restarted (in this JVM) on the same application id and state directory while the drain goes on
        stack.topology();
        Map<String, DataNode> nodes = Map.of(a.address(), a, b.address(), b);
        ledger.awaitDrained(nodes, Duration.ofSeconds(120));

        // Then node-status says nothing is pending, every bundle is released exactly once, and the store empties
        Map<PartKey, Long> releases = ledger.awaitReleasedOnce(List.of(a.address(), b.address()), Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(60)).until(() -> producer.usedBytes() == 0);
        long seconds = stack.seconds();
        ledger.check(nodes).report("topology-kill", "appliedAtKill=" + appliedAtKill + " releasedAtKill=" + releasedAtKill + " releases=" + releases.size()
            + " releasedTwice=" + releases.values().stream().filter(n -> n > 1).count() + " pending=0 seconds=" + seconds);
    }
}
