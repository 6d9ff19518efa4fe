package dev.handoff.e2e.faults;

import dev.handoff.testkit.ChildJvm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handoff.datanode.DataNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Scenario 1: a replayer JVM killed with SIGKILL while it streams, restarted with the same instance id, many
 * times; producer, topology and data node keep running. {@code -Dfaults.replayer.cycles} (5 by default, 20
 * under {@code -Psoak}).
 */
class ReplayerKillFaultIT extends SharedClusterScenario {
    private static final int CYCLES = Integer.getInteger("faults.replayer.cycles", 5);

    @Test
    void shouldLoseNothingAndApplyNothingTwiceWhenTheReplayerIsKilledMidStreamRepeatedly(Stack stack) throws Exception {
        // Given a slow data node, the topology, a producer and enough bundles to outlast every cycle
        DataNode node = stack.dataNode("node-1", 0, Duration.ofMillis(250));
        int parts = CYCLES * 15 + 20;
        Ledger ledger = stack.backlog(parts, 24 * 1024, node.address()).ledger();

        // When a replayer JVM is killed with SIGKILL while it streams, and restarted, CYCLES times
        int killedWhileStreaming = 0;
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            long before = node.totalApplied();
            try (ChildJvm child = stack.childReplayer("killed")) {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .until(() -> node.totalApplied() >= before + 3 || !child.isAlive());
                assertThat(child.isAlive()).as("replayer JVM alive in cycle %d (see %s)", cycle, child.log()).isTrue();
                child.kill();
                killedWhileStreaming += node.totalApplied() < parts ? 1 : 0;
            }
        }
        // and a last incarnation (same instance id: it fences the killed transactions) runs to the end
        stack.replayer("killed");
        ledger.awaitDrained(Map.of(node.address(), node), Duration.ofSeconds(120));

        // Then every bundle was applied exactly once, intact, with one committed completion per record
        long seconds = stack.seconds();
        ledger.check(Map.of(node.address(), node)).report("replayer-kill",
            "cycles=" + CYCLES + " killedWhileStreaming=" + killedWhileStreaming + " seconds=" + seconds);
        assertThat(killedWhileStreaming).as("kills that hit a replayer with work left").isEqualTo(CYCLES);
    }
}
