package dev.handoff.replayer.internals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.protocol.Completion;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MicrometerReplayerMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MicrometerReplayerMetrics metrics = new MicrometerReplayerMetrics(registry);

    @Test
    void shouldCountEachTagValueOnItsOwnMeterUnderTheDocumentedNames() {
        // When two nodes complete, deliver, retry and park
        metrics.completed("a:1", Completion.Outcome.DELIVERED);
        metrics.completed("a:1", Completion.Outcome.DELIVERED);
        metrics.completed("a:1", Completion.Outcome.DUPLICATE);
        metrics.completed("b:2", Completion.Outcome.DELIVERED);
        metrics.deliveredBytes("a:1", 100);
        metrics.deliveredBytes("a:1", 50);
        metrics.retried("b:2");
        metrics.parked(ParkReason.RETRY_BUDGET);
        metrics.parked(ParkReason.RETRY_BUDGET);
        metrics.latency(Duration.ofMillis(5));
        metrics.inFlight(3);
        metrics.pausedNodes(1);

        // Then every meter holds its own tag values' sums
        assertThat(registry.get("handoff.replay.parts").tags("node", "a:1", "outcome", "delivered").counter().count())
            .isEqualTo(2.0);
        assertThat(registry.get("handoff.replay.parts").tags("node", "a:1", "outcome", "duplicate").counter().count())
            .isEqualTo(1.0);
        assertThat(registry.get("handoff.replay.parts").tags("node", "b:2", "outcome", "delivered").counter().count())
            .isEqualTo(1.0);
        assertThat(registry.get("handoff.replay.bytes").tag("node", "a:1").counter().count()).isEqualTo(150.0);
        assertThat(registry.get("handoff.replay.retries").tag("node", "b:2").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("handoff.replay.parked").tag("reason", "retry-budget").counter().count()).isEqualTo(2.0);
        assertThat(registry.get("handoff.replay.latency").timer().count()).isEqualTo(1);
        assertThat(registry.get("handoff.replay.inflight").gauge().value()).isEqualTo(3.0);
        assertThat(registry.get("handoff.replay.paused.nodes").gauge().value()).isEqualTo(1.0);
    }

    @Test
    void shouldRegisterOneMeterPerTagValueOnce() {
        // When the same node completes many records
        for (int i = 0; i < 100; i++) {
            metrics.completed("a:1", Completion.Outcome.DELIVERED);
        }

        // Then the registry holds one counter for it, and the metrics keep incrementing that one
        assertThat(registry.find("handoff.replay.parts").counters()).hasSize(1);
        registry.clear();
        metrics.completed("a:1", Completion.Outcome.DELIVERED);
        assertThat(registry.find("handoff.replay.parts").counters())
            .as("a cached counter is not looked up again in the registry").isEmpty();
    }
}
