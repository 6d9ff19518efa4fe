package dev.handoff.topology;

import dev.handoff.protocol.InvalidFieldException;
import dev.handoff.protocol.Names;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.common.KafkaSettings;
import dev.handoff.protocol.common.TopicAdmin.TopicSettings;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Configuration of the topology role ({@code bin/handoff topology}). Every component maps to a
 * {@code --kebab-case} option of the same meaning; {@link #defaults(KafkaSettings)} gives the defaults.
 *
 * @param applicationId Kafka Streams {@code application.id} ({@code --application-id}, default
 *     {@code handoff-topology}): the consumer group and the prefix of every internal topic. Instances
 *     with the same id share the work; a new id starts from scratch.
 * @param kafka bootstrap servers and any Kafka client property ({@code --bootstrap-servers}, {@code --kafka-config})
 * @param topicPrefix prefix of every handoff topic ({@code --topic-prefix}, default {@code handoff})
 * @param stateDir where the local state stores live ({@code --state-dir}, default
 *     {@code <java.io.tmpdir>/handoff-topology}); losing it only costs a restore from the changelogs
 * @param replicationFactor replication factor of the internal repartition and changelog topics
 *     ({@code --replication-factor}, default -1: the broker's {@code default.replication.factor})
 * @param commitInterval how often state and outputs are committed ({@code --commit-interval}, default
 *     100 ms); with exactly-once this is also the latency of every output
 * @param internalPartitions partitions of the two repartition topics ({@code --internal-partitions},
 *     default 4): the most instances/threads that can share the work. Fixed once the topics exist.
 * @param streamThreads stream threads in this instance ({@code --stream-threads}, default 1)
 * @param metadataMaxAge how often topic metadata is refreshed, so a new node topic is read this soon
 *     after it is created ({@code --metadata-max-age}, default 2 s)
 * @param createTopics create the missing fixed topics at start, with the contract's configs
 *     ({@code TopicAdmin.ensureFixed}; {@code --create-topics}, default true)
 * @param topics partitions, replication factor and min.insync.replicas of the fixed topics it creates
 *     ({@code --partitions}, {@code --topic-replication-factor}, {@code --min-insync-replicas}; default 1, 1, unset)
 */
public record TopologySettings(
    String applicationId,
    KafkaSettings kafka,
    String topicPrefix,
    Path stateDir,
    int replicationFactor,
    Duration commitInterval,
    int internalPartitions,
    int streamThreads,
    Duration metadataMaxAge,
    boolean createTopics,
    TopicSettings topics) {

    public static final String DEFAULT_APPLICATION_ID = "handoff-topology";

    public TopologySettings {
        Names.requireName("applicationId", applicationId);
        Names.required("kafka", kafka);
        new Topics(topicPrefix);
        Names.required("stateDir", stateDir);
        if (replicationFactor == 0 || replicationFactor < -1) {
            throw new InvalidFieldException("replicationFactor", replicationFactor, "-1 (broker default) or at least 1");
        }
        positive("commitInterval", commitInterval);
        if (internalPartitions < 1) {
            throw new InvalidFieldException("internalPartitions", internalPartitions, "at least 1");
        }
        if (streamThreads < 1) {
            throw new InvalidFieldException("streamThreads", streamThreads, "at least 1");
        }
        positive("metadataMaxAge", metadataMaxAge);
        Names.required("topics", topics);
    }

    public static TopologySettings defaults(KafkaSettings kafka) {
        return new TopologySettings(DEFAULT_APPLICATION_ID, kafka, Topics.DEFAULT_PREFIX,
            Path.of(System.getProperty("java.io.tmpdir"), "handoff-topology"), -1, Duration.ofMillis(100), 4, 1,
            Duration.ofSeconds(2), true, TopicSettings.single());
    }

    public Topics topicNames() {
        return new Topics(topicPrefix);
    }

    public TopologySettings withApplicationId(String id) {
        return new TopologySettings(id, kafka, topicPrefix, stateDir, replicationFactor, commitInterval,
            internalPartitions, streamThreads, metadataMaxAge, createTopics, topics);
    }

    public TopologySettings withTopicPrefix(String prefix) {
        return new TopologySettings(applicationId, kafka, prefix, stateDir, replicationFactor, commitInterval,
            internalPartitions, streamThreads, metadataMaxAge, createTopics, topics);
    }

    public TopologySettings withStateDir(Path dir) {
        return new TopologySettings(applicationId, kafka, topicPrefix, dir, replicationFactor, commitInterval,
            internalPartitions, streamThreads, metadataMaxAge, createTopics, topics);
    }

    public TopologySettings withReplicationFactor(int rf) {
        return new TopologySettings(applicationId, kafka, topicPrefix, stateDir, rf, commitInterval,
            internalPartitions, streamThreads, metadataMaxAge, createTopics, topics);
    }

    public TopologySettings withInternalPartitions(int partitions) {
        return new TopologySettings(applicationId, kafka, topicPrefix, stateDir, replicationFactor, commitInterval,
            partitions, streamThreads, metadataMaxAge, createTopics, topics);
    }

    private static void positive(String field, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new InvalidFieldException(field, d, "a positive duration");
        }
    }
}
