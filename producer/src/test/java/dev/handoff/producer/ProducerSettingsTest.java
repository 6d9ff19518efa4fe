package dev.handoff.producer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.protocol.common.KafkaSettings;
import dev.handoff.protocol.common.TopicAdmin.TopicSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProducerSettingsTest {

    @Test
    void shouldStartFromTheDeclaredDefaults() {
        // Given settings with only the required values
        ProducerSettings s = ProducerSettings.builder(Path.of("/tmp/s"), "l", KafkaSettings.of("localhost:9092")).build();
        // Then every other value is its group's DEFAULT_* constant
        assertThat(s.partStore().host()).isEqualTo(PartStoreServerSettings.DEFAULT_HOST);
        assertThat(s.partStore().port()).isEqualTo(PartStoreServerSettings.DEFAULT_PORT);
        assertThat(s.partStore().chunkSizeBytes()).isEqualTo(PartStoreServerSettings.DEFAULT_CHUNK_SIZE);
        assertThat(s.store().maxBytes()).isEqualTo(StoreLimits.DEFAULT_MAX_BYTES);
        assertThat(s.store().maxPercent()).isEqualTo(StoreLimits.DEFAULT_MAX_PERCENT);
        assertThat(s.health().interval()).isEqualTo(HealthCheckSettings.DEFAULT_INTERVAL);
        assertThat(s.health().timeout()).isEqualTo(HealthCheckSettings.DEFAULT_TIMEOUT);
        assertThat(s.health().heartbeatInterval()).isEqualTo(HealthCheckSettings.DEFAULT_HEARTBEAT_INTERVAL);
        assertThat(s.publish().timeout()).isEqualTo(PublishSettings.DEFAULT_TIMEOUT);
        assertThat(s.publish().republishInterval()).isEqualTo(PublishSettings.DEFAULT_REPUBLISH_INTERVAL);
        assertThat(s.publish().nodeTopics()).isEqualTo(TopicSettings.single()).isEqualTo(s.publish().fixedTopics());
        assertThat(s.enqueue().host()).isEqualTo(EnqueueServerSettings.DEFAULT_HOST);
        assertThat(s.enqueue().port()).isEqualTo(EnqueueServerSettings.DEFAULT_PORT);
        assertThat(s.storeCheck().interval()).isEqualTo(StoreCheckSettings.DEFAULT_INTERVAL);
        assertThat(s.storeCheck().replayerGroupId()).isEqualTo(StoreCheckSettings.DEFAULT_REPLAYER_GROUP_ID);
    }

    @Test
    void shouldKeepEveryValueThroughToBuilder() {
        // Given settings with every value changed
        ProducerSettings s = ProducerSettings.builder(Path.of("/tmp/s"), "l", KafkaSettings.of("k:1"))
            .advertisedAddress("h:2").listen("localhost", 3).topicPrefix("p").nodeTopics(TopicSettings.created())
            .fixedTopics(new TopicSettings(2, (short) 1, 1)).storeLimits(10L, 50.0).chunkSizeBytes(4096)
            .healthInterval(Duration.ofSeconds(2)).healthTimeout(Duration.ofSeconds(1))
            .heartbeatInterval(Duration.ofSeconds(20)).nodes(List.of("n:1")).enqueueRoot(Path.of("/tmp/e"))
            .publishTimeout(Duration.ofSeconds(9)).republishInterval(Duration.ofSeconds(8)).storeMaxBytesPerNode(5L)
            .maxAge(Duration.ofHours(2)).enqueueListen("localhost", 4).storeCheckInterval(null).replayerGroupId("rg")
            .build();
        // When it goes through toBuilder, Then nothing is lost
        assertThat(s.toBuilder().build()).isEqualTo(s);
    }
}
