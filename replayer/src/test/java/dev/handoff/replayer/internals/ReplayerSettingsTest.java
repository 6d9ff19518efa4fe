package dev.handoff.replayer.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.protocol.InvalidFieldException;
import dev.handoff.protocol.common.KafkaSettings;
import dev.handoff.replayer.ReplayerSettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplayerSettingsTest {
    private static final KafkaSettings KAFKA = KafkaSettings.of("localhost:9092");

    @Test
    void shouldHaveTheDocumentedDefaults() {
        ReplayerSettings s = ReplayerSettings.builder(KAFKA).build();

        assertThat(s.topicPrefix()).isEqualTo("handoff");
        assertThat(s.groupId()).isEqualTo("handoff-replayer");
        assertThat(s.instanceId()).isNotBlank();
        assertThat(s.limits().maxBytesPerSec()).isZero();
        assertThat(s.limits().maxPartsPerSec()).isZero();
        assertThat(s.connections().chunkSize()).isEqualTo(1024 * 1024);
        assertThat(s.sinkFactory()).isNotNull();
        assertThat(s.transactionalId()).isEqualTo("handoff-replayer-" + s.instanceId());
        assertThat(s.replayerName()).isEqualTo("replayer:" + s.instanceId());
    }

    @Test
    void shouldNameTheFieldThatBreaksItsRule() {
        assertThatThrownBy(() -> ReplayerSettings.builder(KAFKA).groupId("../x").build())
            .isInstanceOf(InvalidFieldException.class).hasMessageContaining("groupId");
        assertThatThrownBy(() -> ReplayerSettings.builder(KAFKA).maxInFlightPerNode(0).build())
            .hasMessageContaining("maxInFlightPerNode 0: must be > 0");
        assertThatThrownBy(() -> ReplayerSettings.builder(KAFKA).backoff(Duration.ofSeconds(5), Duration.ofSeconds(1)).build())
            .hasMessageContaining("backoffMax");
        assertThatThrownBy(() -> ReplayerSettings.builder(KAFKA).chunkSize(100).build())
            .hasMessageContaining("chunkSize 100: between 1024");
        assertThatThrownBy(() -> ReplayerSettings.builder(KAFKA).maxBytesPerSec(-1).build())
            .hasMessageContaining("maxBytesPerSec");
    }

    @Test
    void shouldRebuildEqualSettingsFromItsBuilder() {
        ReplayerSettings s = ReplayerSettings.builder(KAFKA).instanceId("r7").maxPartsPerSec(3).topicPrefix("p")
            .groupId("g").retryBudget(2).backoff(Duration.ofSeconds(2), Duration.ofSeconds(3)).maxInFlightPerNode(4)
            .maxInFlightBytes(5).maxBytesPerSec(6).deliveryThreads(7).adaptiveConcurrency(false).chunkSize(2048)
            .sessionTimeout(Duration.ofSeconds(8)).commitTimeout(Duration.ofSeconds(9))
            .logStartAdvanceInterval(Duration.ofSeconds(10)).topologyApplicationId("").allowedSources(List.of("10.0.0.0/8"))
            .allowedNodes(List.of("*.nodes")).build();

        assertThat(s.toBuilder().build()).isEqualTo(s);
    }
}
