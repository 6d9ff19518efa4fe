package dev.handoff.replayer.internals;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class LogStartAdvancerTest {
    private static final TopicPartition P0 = new TopicPartition("handoff.node.a.3a1", 0);
    private static final TopicPartition P1 = new TopicPartition("handoff.node.a.3a1", 1);

    @Test
    void shouldNeverAdvancePastWhatTheTopologyCommitted() {
        // Given the replayer committed 50 and 20, the topology read up to 30 and 40
        Map<TopicPartition, Long> replayer = Map.of(P0, 50L, P1, 20L);
        Map<TopicPartition, OffsetAndMetadata> topology = Map.of(P0, new OffsetAndMetadata(30), P1, new OffsetAndMetadata(40));
        // When / Then: each partition goes to the lower of the two
        assertThat(LogStartAdvancer.boundByTopology(replayer, topology)).isEqualTo(Map.of(P0, 30L, P1, 20L));
    }

    @Test
    void shouldHoldAPartitionTheRunningTopologyHasNotCommittedYet() {
        // Given a topology group that committed only partition 1
        Map<TopicPartition, Long> replayer = Map.of(P0, 50L, P1, 20L);
        Map<TopicPartition, OffsetAndMetadata> topology = Map.of(P1, new OffsetAndMetadata(40));
        // When / Then: partition 0 is not advanced at all
        assertThat(LogStartAdvancer.boundByTopology(replayer, topology)).isEqualTo(Map.of(P1, 20L));
    }

    @Test
    void shouldUseTheReplayersOffsetsWhenNoTopologyGroupExists() {
        Map<TopicPartition, Long> replayer = Map.of(P0, 50L);
        assertThat(LogStartAdvancer.boundByTopology(replayer, Map.of())).isEqualTo(replayer);
    }
}
