package dev.handoff.replayer.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.protocol.InvalidFieldException;
import dev.handoff.protocol.common.KafkaSettings;
import dev.handoff.replayer.ReplayerSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReplayerSettingsTest {
    private static final KafkaSettings KAFKA = KafkaSettings.of("localhost:9092");

    @Test
    void shouldHaveTheDocumentedDefaults() {
        ReplayerSettings s = ReplayerSettings.builder(KAFKA).build();

        assertThat(s.topicPrefix()).isEqualTo("handoff");
        assertThat(s.groupId()).isEqualTo("handoff-replayer");
        assertThat(s.instanceId()).isNotBlank();
        assertThat(s.maxBytesPerSec()).isZero();
        assertThat(s.maxPartsPerSec()).isZero();
        assertThat(s.chunkSize()).isEqualTo(1024 * 1024);
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
        ReplayerSettings s = ReplayerSettings.builder(KAFKA).instanceId("r7").maxPartsPerSec(3).build();

        assertThat(s.toBuilder().build()).isEqualTo(s);
    }
}
