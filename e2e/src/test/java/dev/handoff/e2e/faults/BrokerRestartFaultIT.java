package dev.handoff.e2e.faults;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.handoff.datanode.DataNode;
import dev.handoff.testkit.KafkaClusterExtension;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Scenario 6: the only broker killed (SIGKILL) during a drain and started again on its data and address. */
class BrokerRestartFaultIT {
    @RegisterExtension
    static final StackExtension STACKS = StackExtension.on(KafkaClusterExtension.processes(1));

    @Test
    void shouldLoseNothingWhenTheSingleBrokerIsKilledDuringADrain(Stack stack) throws Exception {
        // Given every role on one broker and 40 bundles draining into a slow data node
        DataNode node = stack.dataNode("node-1", 0, Duration.ofMillis(300));
        Ledger ledger = stack.backlog(40, 16 * 1024, node.address()).ledger();
        stack.replayer("r1", b -> b.maxPartsPerSec(8));

        // When the broker process is killed mid-drain (and really is gone), then starts again on its data and address
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> node.totalApplied() >= 8);
        STACKS.cluster().stopBroker(0);
        long appliedAtStop = node.totalApplied();
        assertThatThrownBy(() -> describeCluster(stack)).as("broker unreachable while stopped").isNotNull();
        STACKS.cluster().startBroker(0);

        // Then every bundle is applied once with one committed completion per record
        Map<String, DataNode> nodes = Map.of(node.address(), node);
        ledger.awaitDrained(nodes, Duration.ofSeconds(150));
        long seconds = stack.seconds();
        ledger.check(nodes).report("broker-restart", "appliedAtStop=" + appliedAtStop + " seconds=" + seconds);
        org.assertj.core.api.Assertions.assertThat(appliedAtStop).as("applied when the broker stopped").isLessThan(40);
    }

    private static void describeCluster(Stack stack) throws Exception {
        Map<String, Object> props = new java.util.HashMap<>(stack.kafka.admin());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 1000);
        try (Admin admin = Admin.create(props)) {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(2000)).clusterId().get(5, TimeUnit.SECONDS);
        }
    }
}
