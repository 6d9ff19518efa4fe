package dev.handoff.replayer.internals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.protocol.Health;
import dev.handoff.protocol.NodeStatus;
import dev.handoff.testkit.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NodeStatusGaugesTest {
    private static final String NODE = "dn-1:9420";
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final Map<String, NodeStatus> statuses = new ConcurrentHashMap<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void shouldReadTheLatestStatusOfEachNodeAndNaNOnceItIsGone() {
        // Given a node DOWN with 3 parts pending, the oldest enqueued 90 s ago
        long now = clock.millis();
        statuses.put(NODE, new NodeStatus(NODE, Health.DOWN, false, null, 3, 3000, now - 90_000, now));
        NodeStatusGauges gauges = new NodeStatusGauges(registry, statuses::get, clock);

        // When its gauges are registered (twice: the table may see the node again after a re-read)
        gauges.register(NODE);
        gauges.register(NODE);

        // Then they read the status, the age moves with the clock, and a deleted status reads NaN
        assertThat(value("handoff.node.pending.parts")).isEqualTo(3);
        assertThat(value("handoff.node.pending.bytes")).isEqualTo(3000);
        assertThat(value("handoff.node.deliverable")).isZero();
        assertThat(registry.get("handoff.node.oldest.pending.age").timeGauge().value(TimeUnit.SECONDS)).isEqualTo(90);
        clock.advance(Duration.ofSeconds(10));
        assertThat(registry.get("handoff.node.oldest.pending.age").timeGauge().value(TimeUnit.SECONDS)).isEqualTo(100);
        statuses.put(NODE, new NodeStatus(NODE, Health.UP, false, null, 0, 0, null, now));
        assertThat(value("handoff.node.deliverable")).isEqualTo(1);
        assertThat(registry.get("handoff.node.oldest.pending.age").timeGauge().value(TimeUnit.SECONDS)).isZero();
        statuses.remove(NODE);
        assertThat(value("handoff.node.pending.parts")).isNaN();
    }

    private double value(String name) {
        return registry.get(name).tag("node", NODE).gauge().value();
    }
}
