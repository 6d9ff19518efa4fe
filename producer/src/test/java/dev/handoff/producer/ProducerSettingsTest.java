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
        // Then every other value is its DEFAULT_* constant
        assertThat(s.listenHost()).isEqualTo(ProducerSettings.DEFAULT_LISTEN_HOST);
        assertThat(s.listenPort()).isEqualTo(ProducerSettings.DEFAULT_PORT);
        assertThat(s.storeMaxBytes()).isEqualTo(ProducerSettings.DEFAULT_STORE_MAX_BYTES);
        assertThat(s.storeMaxPercent()).isEqualTo(ProducerSettings.DEFAULT_STORE_MAX_PERCENT);
        assertThat(s.chunkSizeBytes()).isEqualTo(ProducerSettings.DEFAULT_CHUNK_SIZE);
        assertThat(s.healthInterval()).isEqualTo(ProducerSettings.DEFAULT_HEALTH_INTERVAL);
        assertThat(s.healthTimeout()).isEqualTo(ProducerSettings.DEFAULT_HEALTH_TIMEOUT);
        assertThat(s.heartbeatInterval()).isEqualTo(ProducerSettings.DEFAULT_HEARTBEAT_INTERVAL);
        assertThat(s.publishTimeout()).isEqualTo(ProducerSettings.DEFAULT_PUBLISH_TIMEOUT);
        assertThat(s.republishInterval()).isEqualTo(ProducerSettings.DEFAULT_REPUBLISH_INTERVAL);
        assertThat(s.nodeTopics()).isEqualTo(TopicSettings.single()).isEqualTo(s.fixedTopics());
    }

    @Test
    void shouldKeepEveryValueThroughToBuilder() {
        // Given settings with every value changed
        ProducerSettings s = ProducerSettings.builder(Path.of("/tmp/s"), "l", KafkaSettings.of("k:1"))
            .advertisedAddress("h:2").listen("localhost", 3).topicPrefix("p").nodeTopics(TopicSettings.created())
            .fixedTopics(new TopicSettings(2, (short) 1, 1)).storeLimits(10L, 50.0).chunkSizeBytes(4096)
            .healthInterval(Duration.ofSeconds(2)).healthTimeout(Duration.ofSeconds(1))
            .heartbeatInterval(Duration.ofSeconds(20)).nodes(List.of("n:1")).enqueueRoot(Path.of("/tmp/e"))
            .publishTimeout(Duration.ofSeconds(9)).republishInterval(Duration.ofSeconds(8)).build();
        // When it goes through toBuilder, Then nothing is lost
        assertThat(s.toBuilder().build()).isEqualTo(s);
    }
}
