package dev.handoff.replayer;

import static java.util.Objects.requireNonNullElse;

import dev.handoff.protocol.Names;
import dev.handoff.protocol.Topics;
import java.time.Duration;

/**
 * How the replayer trims the node topics: each owned node partition's log start is advanced to the group's
 * committed offset with deleteRecords, never past what the topology has read.
 *
 * @param advanceInterval       how often ({@code --log-start-advance-interval}, null for 30 s)
 * @param topologyApplicationId the topology's application id: a node topic's log start is never advanced past what
 *                              that Kafka Streams group has committed, so the topology always reads an enqueue record
 *                              (and learns its targets) before it is deleted; empty or null turns the guard off
 *                              ({@code --topology-application-id}, default {@code handoff-topology})
 */
public record LogStartSettings(Duration advanceInterval, String topologyApplicationId) {
    public static final Duration DEFAULT_ADVANCE_INTERVAL = Duration.ofSeconds(30);
    public static final String DEFAULT_TOPOLOGY_APPLICATION_ID = Topics.DEFAULT_TOPOLOGY_APPLICATION_ID;

    public LogStartSettings {
        advanceInterval = requireNonNullElse(advanceInterval, DEFAULT_ADVANCE_INTERVAL);
        Names.positive("logStartAdvanceInterval", advanceInterval.toMillis());
        topologyApplicationId = requireNonNullElse(topologyApplicationId, "");
        if (!topologyApplicationId.isEmpty()) {
            Names.requireName("topologyApplicationId", topologyApplicationId);
        }
    }
}
