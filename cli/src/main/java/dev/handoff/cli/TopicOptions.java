package dev.handoff.cli;

import dev.handoff.protocol.common.TopicAdmin.TopicSettings;
import picocli.CommandLine.Option;

/** Partitions, replication factor and min ISR of the topics a verb creates. */
public final class TopicOptions {

    @Option(names = "--partitions", paramLabel = "N",
        description = "Partitions of the topics this verb creates (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--replication-factor", paramLabel = "N",
        description = "Replication factor of created topics (default: ${DEFAULT-VALUE}; use 3 in production).")
    short replicationFactor;

    @Option(names = "--min-insync-replicas", paramLabel = "N",
        description = "min.insync.replicas of created topics (default: the broker's; use 2 with RF 3).")
    Integer minInsyncReplicas;

    public TopicSettings settings() {
        return new TopicSettings(partitions, replicationFactor, minInsyncReplicas);
    }
}
