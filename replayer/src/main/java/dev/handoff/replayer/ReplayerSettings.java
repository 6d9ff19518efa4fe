package dev.handoff.replayer;

import static java.util.Objects.requireNonNullElse;

import dev.handoff.protocol.InvalidFieldException;
import dev.handoff.protocol.Names;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.common.KafkaSettings;
import dev.handoff.protocol.common.TlsConfig;
import dev.handoff.replayer.internals.AddressAllowlist;
import dev.handoff.replayer.internals.GrpcPartSink;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Everything a {@link Replayer} is configured with, grouped by what each part configures. Each component maps to
 * one {@code bin/handoff replayer --kebab-case} option with the same meaning; the {@code DEFAULT_*} constants (here
 * and in each group) are the defaults, which {@link #builder} starts from and the CLI shows.
 *
 * @param kafka          how to reach Kafka ({@code --bootstrap-servers}, {@code --kafka-config})
 * @param topicPrefix    prefix of every topic ({@code --topic-prefix}, default {@code handoff})
 * @param groupId        consumer group of all replayers ({@code --group-id}, default {@code handoff-replayer})
 * @param instanceId     this instance's id, unique in the group: the transactional id is
 *                       {@code <groupId>-<instanceId>} and completions carry it in {@code replayer}
 *                       ({@code --instance-id}, default a random id per start)
 * @param retryBudget    failed attempts of one record (rejections, source failures) before it is parked; an
 *                       unreachable node does not use it up ({@code --retry-budget}, default 20)
 * @param backoffInitial first retry delay; doubles per failure with jitter ({@code --backoff-initial}, default 1s)
 * @param backoffMax     longest retry delay ({@code --backoff-max}, default 60s)
 * @param sessionTimeout longest a data node may keep a sync session without accepting data or answering, and a part
 *                       store a fetch without sending a chunk ({@code --session-timeout}, default 120s)
 * @param commitTimeout  longest the poll thread waits in one Kafka transaction step (begin, send, commit, abort; the
 *                       transactional producer's {@code max.block.ms}); a commit that times out is not aborted: the
 *                       replayer rejoins with a fresh producer, which aborts it ({@code --commit-timeout}, default 30s)
 * @param sinkFactory    creates the receiving side; default {@link GrpcPartSink} (handoff.v1.PartSync). Not a CLI option.
 * @param limits         how much is delivered at once and how fast
 * @param connections    how part stores and data nodes are reached, and which may be
 * @param logStart       how the node topics are trimmed
 */
public record ReplayerSettings(
    KafkaSettings kafka,
    String topicPrefix,
    String groupId,
    String instanceId,
    int retryBudget,
    Duration backoffInitial,
    Duration backoffMax,
    Duration sessionTimeout,
    Duration commitTimeout,
    PartSink.Factory sinkFactory,
    DeliveryLimits limits,
    ConnectionSettings connections,
    LogStartSettings logStart) {

    public static final String DEFAULT_GROUP_ID = Topics.DEFAULT_REPLAYER_GROUP_ID;
    public static final int DEFAULT_RETRY_BUDGET = 20;
    public static final Duration DEFAULT_BACKOFF_INITIAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofSeconds(60);
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(120);
    public static final Duration DEFAULT_COMMIT_TIMEOUT = Duration.ofSeconds(30);

    public ReplayerSettings {
        Names.required("kafka", kafka);
        new Topics(topicPrefix);
        Names.requireName("groupId", groupId);
        Names.requireName("instanceId", instanceId);
        Names.positive("retryBudget", retryBudget);
        Names.positive("backoffInitial", Names.required("backoffInitial", backoffInitial).toMillis());
        if (Names.required("backoffMax", backoffMax).compareTo(backoffInitial) < 0) {
            throw new InvalidFieldException("backoffMax", backoffMax, "must be >= backoffInitial " + backoffInitial);
        }
        Names.positive("sessionTimeout", Names.required("sessionTimeout", sessionTimeout).toMillis());
        Names.positive("commitTimeout", Names.required("commitTimeout", commitTimeout).toMillis());
        sinkFactory = requireNonNullElse(sinkFactory, GrpcPartSink::new);
        Names.required("limits", limits);
        Names.required("connections", connections);
        Names.required("logStart", logStart);
    }

    /** Settings with every default; Kafka is the one required value. */
    public static Builder builder(KafkaSettings kafka) {
        return new Builder(kafka);
    }

    public Topics topics() {
        return new Topics(topicPrefix);
    }

    /** {@code <groupId>-<instanceId>}: fences a previous incarnation of this instance. */
    public String transactionalId() {
        return groupId + "-" + instanceId;
    }

    /** The {@code observer} of this replayer's health events and the {@code replayer} of its completions. */
    public String replayerName() {
        return "replayer:" + instanceId;
    }

    public Builder toBuilder() {
        Builder b = new Builder(kafka).topicPrefix(topicPrefix).groupId(groupId).instanceId(instanceId)
            .retryBudget(retryBudget).backoff(backoffInitial, backoffMax).sessionTimeout(sessionTimeout)
            .commitTimeout(commitTimeout).sinkFactory(sinkFactory)
            .maxInFlightPerNode(limits.maxInFlightPerNode()).maxInFlightBytes(limits.maxInFlightBytes())
            .maxBytesPerSec(limits.maxBytesPerSec()).maxPartsPerSec(limits.maxPartsPerSec())
            .deliveryThreads(limits.deliveryThreads()).adaptiveConcurrency(limits.adaptiveConcurrency())
            .chunkSize(connections.chunkSize()).fetchTls(connections.fetchTls()).syncTls(connections.syncTls())
            .logStartAdvanceInterval(logStart.advanceInterval()).topologyApplicationId(logStart.topologyApplicationId());
        b.allowedSources = connections.allowedSources();
        b.allowedNodes = connections.allowedNodes();
        return b;
    }

    /** Builds settings from the defaults; {@link #build()} validates. */
    public static final class Builder {
        private final KafkaSettings kafka;
        private String topicPrefix = Topics.DEFAULT_PREFIX;
        private String groupId = DEFAULT_GROUP_ID;
        private String instanceId = UUID.randomUUID().toString().substring(0, 8);
        private int retryBudget = DEFAULT_RETRY_BUDGET;
        private Duration backoffInitial = DEFAULT_BACKOFF_INITIAL;
        private Duration backoffMax = DEFAULT_BACKOFF_MAX;
        private Duration sessionTimeout = DEFAULT_SESSION_TIMEOUT;
        private Duration commitTimeout = DEFAULT_COMMIT_TIMEOUT;
        private PartSink.Factory sinkFactory;
        private int maxInFlightPerNode = DeliveryLimits.DEFAULT_MAX_IN_FLIGHT_PER_NODE;
        private long maxInFlightBytes = DeliveryLimits.DEFAULT_MAX_IN_FLIGHT_BYTES;
        private long maxBytesPerSec = DeliveryLimits.DEFAULT_MAX_BYTES_PER_SEC;
        private long maxPartsPerSec = DeliveryLimits.DEFAULT_MAX_PARTS_PER_SEC;
        private int deliveryThreads = DeliveryLimits.DEFAULT_DELIVERY_THREADS;
        private boolean adaptiveConcurrency = DeliveryLimits.DEFAULT_ADAPTIVE_CONCURRENCY;
        private int chunkSize = ConnectionSettings.DEFAULT_CHUNK_SIZE;
        private TlsConfig fetchTls;
        private TlsConfig syncTls;
        private AddressAllowlist allowedSources;
        private AddressAllowlist allowedNodes;
        private Duration logStartAdvanceInterval;
        private String topologyApplicationId = LogStartSettings.DEFAULT_TOPOLOGY_APPLICATION_ID;

        private Builder(KafkaSettings kafka) {
            this.kafka = kafka;
        }

        public Builder topicPrefix(String v) { topicPrefix = v; return this; }

        public Builder groupId(String v) { groupId = v; return this; }

        public Builder instanceId(String v) { instanceId = v; return this; }

        public Builder maxInFlightPerNode(int v) { maxInFlightPerNode = v; return this; }

        public Builder maxInFlightBytes(long v) { maxInFlightBytes = v; return this; }

        public Builder retryBudget(int v) { retryBudget = v; return this; }

        public Builder backoff(Duration initial, Duration max) { backoffInitial = initial; backoffMax = max; return this; }

        public Builder maxBytesPerSec(long v) { maxBytesPerSec = v; return this; }

        public Builder maxPartsPerSec(long v) { maxPartsPerSec = v; return this; }

        public Builder logStartAdvanceInterval(Duration v) { logStartAdvanceInterval = v; return this; }

        public Builder chunkSize(int v) { chunkSize = v; return this; }

        public Builder deliveryThreads(int v) { deliveryThreads = v; return this; }

        public Builder sessionTimeout(Duration v) { sessionTimeout = v; return this; }

        public Builder fetchTls(TlsConfig v) { fetchTls = v; return this; }

        public Builder syncTls(TlsConfig v) { syncTls = v; return this; }

        public Builder sinkFactory(PartSink.Factory v) { sinkFactory = v; return this; }

        public Builder topologyApplicationId(String v) { topologyApplicationId = v; return this; }

        public Builder commitTimeout(Duration v) { commitTimeout = v; return this; }

        public Builder adaptiveConcurrency(boolean v) { adaptiveConcurrency = v; return this; }

        /** Host patterns or CIDRs a record's {@code source} must match; empty: any. A bad one names the field. */
        public Builder allowedSources(List<String> v) { allowedSources = AddressAllowlist.of("allowedSources", v); return this; }

        /** Host patterns or CIDRs a record's {@code node} must match; empty: any. */
        public Builder allowedNodes(List<String> v) { allowedNodes = AddressAllowlist.of("allowedNodes", v); return this; }

        public ReplayerSettings build() {
            return new ReplayerSettings(kafka, topicPrefix, groupId, instanceId, retryBudget, backoffInitial, backoffMax,
                sessionTimeout, commitTimeout, sinkFactory,
                new DeliveryLimits(maxInFlightPerNode, maxInFlightBytes, maxBytesPerSec, maxPartsPerSec, deliveryThreads,
                    adaptiveConcurrency),
                new ConnectionSettings(chunkSize, fetchTls, syncTls, allowedSources, allowedNodes),
                new LogStartSettings(logStartAdvanceInterval, topologyApplicationId));
        }
    }
}
