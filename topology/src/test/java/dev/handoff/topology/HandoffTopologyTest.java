package dev.handoff.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.protocol.InvalidFieldException;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.common.KafkaSettings;
import java.util.Properties;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

class HandoffTopologyTest {
    private static final TopologySettings SETTINGS = TopologySettings.builder(KafkaSettings.of("localhost:9092")).build();

    @Test
    void shouldNameEveryProcessorStoreAndInternalTopic() {
        // Given / When the topology is described
        String text = TopologyApp.describe(SETTINGS);

        // Then no generated name is left and the named parts are there
        assertThat(text).doesNotContain("KSTREAM-").doesNotContain("KTABLE-");
        assertThat(text).contains("health-source", "control-source", "enqueued-source", "completions-source",
            "node-events-repartition", "release-tracking-repartition", "node-status", "release-tracker",
            "node-status-sink", "released-sink", "quarantine-sink", "handoff.quarantine",
            HandoffTopology.PENDING_INDEX_STORE, HandoffTopology.EARLY_COMPLETION_STORE,
            HandoffTopology.WATERMARK_STORE, HandoffTopology.RELEASE_TRACKER_STORE, "handoff.enqueued");
        // And it reads no topic pattern: a new node topic reaches it through the relay, never as a new source topic
        assertThat(text).doesNotContain("handoff.node.");
    }

    @Test
    void shouldWriteTheQuarantineInTheSubTopologyThatReadsTheInputsWhenBuilt() {
        // Given / When the topology is built
        TopologyDescription description = HandoffTopology.build(new StreamsBuilder(), Topics.defaults(), 2,
            TopologyMetrics.none()).build().describe();

        // Then the quarantine sink shares a task with the input sources, so a copy commits with its input offset
        TopologyDescription.Subtopology withSink = description.subtopologies().stream()
            .filter(s -> s.nodes().stream().anyMatch(n -> n.name().equals("quarantine-sink")))
            .findFirst().orElseThrow();
        assertThat(withSink.nodes()).extracting(TopologyDescription.Node::name)
            .contains("health-source", "control-source", "completions-source", "health-decode", "completion-decode");
    }

    @Test
    void shouldRunExactlyOnceWithTheConfiguredSettings() {
        // Given settings with a custom application id
        TopologySettings s = SETTINGS.toBuilder().applicationId("topo-1").replicationFactor(1).build();

        // When the Streams properties are built
        Properties p = new TopologyApp(s, new io.micrometer.core.instrument.simple.SimpleMeterRegistry()).properties();

        // Then exactly-once v2, the id, the replication factor and a short metadata age are set
        assertThat(p).containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
            .containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "topo-1")
            .containsEntry(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1)
            .containsEntry("metadata.max.age.ms", 2_000L);
    }

    @Test
    void shouldRefuseBadSettingsNamingTheField() {
        assertThatThrownBy(() -> SETTINGS.toBuilder().applicationId("a/b").build()).hasMessageContaining("applicationId");
        assertThatThrownBy(() -> SETTINGS.toBuilder().replicationFactor(0).build()).isInstanceOf(InvalidFieldException.class)
            .hasMessageContaining("replicationFactor");
        assertThatThrownBy(() -> SETTINGS.toBuilder().internalPartitions(0).build()).hasMessageContaining("internalPartitions");
        assertThatThrownBy(() -> SETTINGS.toBuilder().topicPrefix("..").build()).hasMessageContaining("topicPrefix");
    }
}
