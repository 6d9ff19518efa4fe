package dev.handoff.topology;

import static java.util.Objects.requireNonNullElse;

import dev.handoff.protocol.InvalidFieldException;
import dev.handoff.protocol.Names;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.common.KafkaSettings;
import dev.handoff.protocol.common.TopicAdmin.TopicSettings;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Configuration of the topology role ({@code bin/handoff topology}). Every component maps to a
 * {@code --kebab-case} option of the same meaning; the {@code DEFAULT_*} constants are the defaults, which
 * {@link #builder(KafkaSettings)} starts from and the CLI shows.
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

    public static final String DEFAULT_APPLICATION_ID = Topics.DEFAULT_TOPOLOGY_APPLICATION_ID;
    public static final Path DEFAULT_STATE_DIR = Path.of(System.getProperty("java.io.tmpdir"), DEFAULT_APPLICATION_ID);
    /** -1: the broker's {@code default.replication.factor}, as in Kafka Streams itself. */
    public static final int DEFAULT_REPLICATION_FACTOR = -1;
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(100);
    public static final int DEFAULT_INTERNAL_PARTITIONS = 4;
    public static final int DEFAULT_STREAM_THREADS = 1;
    public static final Duration DEFAULT_METADATA_MAX_AGE = Duration.ofSeconds(2);
    public static final boolean DEFAULT_CREATE_TOPICS = true;

    /** A null applicationId, topicPrefix, stateDir, commitInterval, metadataMaxAge or topics is its default. */
    public TopologySettings {
        applicationId = requireNonNullElse(applicationId, DEFAULT_APPLICATION_ID);
        Names.requireName("applicationId", applicationId);
        Names.required("kafka", kafka);
        topicPrefix = requireNonNullElse(topicPrefix, Topics.DEFAULT_PREFIX);
        new Topics(topicPrefix);
        stateDir = requireNonNullElse(stateDir, DEFAULT_STATE_DIR);
        if (replicationFactor == 0 || replicationFactor < -1) {
            throw new InvalidFieldException("replicationFactor", replicationFactor, "-1 (broker default) or at least 1");
        }
        commitInterval = requireNonNullElse(commitInterval, DEFAULT_COMMIT_INTERVAL);
        positive("commitInterval", commitInterval);
        if (internalPartitions < 1) {
            throw new InvalidFieldException("internalPartitions", internalPartitions, "at least 1");
        }
        if (streamThreads < 1) {
            throw new InvalidFieldException("streamThreads", streamThreads, "at least 1");
        }
        metadataMaxAge = requireNonNullElse(metadataMaxAge, DEFAULT_METADATA_MAX_AGE);
        positive("metadataMaxAge", metadataMaxAge);
        topics = requireNonNullElse(topics, TopicSettings.single());
    }

    /** Settings with every default; Kafka is the one required value. */
    public static Builder builder(KafkaSettings kafka) {
        return new Builder(kafka);
    }

    public Topics topicNames() {
        return new Topics(topicPrefix);
    }

    /** A builder holding these settings, to change a few. */
    public Builder toBuilder() {
        return new Builder(kafka).applicationId(applicationId).topicPrefix(topicPrefix).stateDir(stateDir)
            .replicationFactor(replicationFactor).commitInterval(commitInterval).internalPartitions(internalPartitions)
            .streamThreads(streamThreads).metadataMaxAge(metadataMaxAge).createTopics(createTopics).topics(topics);
    }

    private static void positive(String field, Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new InvalidFieldException(field, d, "a positive duration");
        }
    }

    /** Collects settings; every field starts at its default. {@link #build()} validates. */
    public static final class Builder {
        private final KafkaSettings kafka;
        private String applicationId = DEFAULT_APPLICATION_ID;
        private String topicPrefix = Topics.DEFAULT_PREFIX;
        private Path stateDir = DEFAULT_STATE_DIR;
        private int replicationFactor = DEFAULT_REPLICATION_FACTOR;
        private Duration commitInterval = DEFAULT_COMMIT_INTERVAL;
        private int internalPartitions = DEFAULT_INTERNAL_PARTITIONS;
        private int streamThreads = DEFAULT_STREAM_THREADS;
        private Duration metadataMaxAge = DEFAULT_METADATA_MAX_AGE;
        private boolean createTopics = DEFAULT_CREATE_TOPICS;
        private TopicSettings topics = TopicSettings.single();

        private Builder(KafkaSettings kafka) {
            this.kafka = kafka;
        }

        public Builder applicationId(String v) { applicationId = v; return this; }

        public Builder topicPrefix(String v) { topicPrefix = v; return this; }

        public Builder stateDir(Path v) { stateDir = v; return this; }

        public Builder replicationFactor(int v) { replicationFactor = v; return this; }

        public Builder commitInterval(Duration v) { commitInterval = v; return this; }

        public Builder internalPartitions(int v) { internalPartitions = v; return this; }

        public Builder streamThreads(int v) { streamThreads = v; return this; }

        public Builder metadataMaxAge(Duration v) { metadataMaxAge = v; return this; }

        public Builder createTopics(boolean v) { createTopics = v; return this; }

        public Builder topics(TopicSettings v) { topics = v; return this; }

        public TopologySettings build() {
            return new TopologySettings(applicationId, kafka, topicPrefix, stateDir, replicationFactor, commitInterval,
                internalPartitions, streamThreads, metadataMaxAge, createTopics, topics);
        }
    }
}
