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
 * Everything a {@link Replayer} is configured with. Each component maps to one
 * {@code bin/handoff replayer --kebab-case} option with the same meaning; the {@code DEFAULT_*} constants are
 * the defaults, which {@link #builder} starts from and the CLI shows.
 *
 * @param kafka                  how to reach Kafka ({@code --bootstrap-servers}, {@code --kafka-config})
 * @param topicPrefix            prefix of every topic ({@code --topic-prefix}, default {@code handoff})
 * @param groupId                consumer group of all replayers ({@code --group-id}, default {@code handoff-replayer})
 * @param instanceId             this instance's id, unique in the group: the transactional id is
 *                               {@code <groupId>-<instanceId>} and completions carry it in {@code replayer}
 *                               ({@code --instance-id}, default a random id per start)
 * @param maxInFlightPerNode     bundles streamed to one node at the same time ({@code --max-in-flight-per-node}, default 16)
 * @param maxInFlightBytes       sum of the sizes of all bundles in flight; one bundle larger than this still goes
 *                               alone ({@code --max-in-flight-bytes}, default 1 GiB)
 * @param retryBudget            failed attempts of one record (rejections, source failures) before it is parked;
 *                               an unreachable node does not use it up ({@code --retry-budget}, default 20)
 * @param backoffInitial         first retry delay; doubles per failure with jitter ({@code --backoff-initial}, default 1s)
 * @param backoffMax             longest retry delay ({@code --backoff-max}, default 60s)
 * @param maxBytesPerSec         bytes per second streamed to one node, 0 = unlimited ({@code --max-bytes-per-sec}, default 0)
 * @param maxPartsPerSec         bundles per second started to one node, 0 = unlimited ({@code --max-parts-per-sec}, default 0)
 * @param logStartAdvanceInterval how often each owned node partition's log start is advanced to the committed
 *                               offset with deleteRecords ({@code --log-start-advance-interval}, default 30s)
 * @param chunkSize              bytes per file chunk asked from the part store ({@code --chunk-size}, default 1 MiB)
 * @param deliveryThreads        threads that stream bundles; bounds in-flight bundles across all nodes
 *                               ({@code --delivery-threads}, default 32)
 * @param sessionTimeout         longest a data node may keep a sync session without accepting data or answering,
 *                               and a part store a fetch without sending a chunk ({@code --session-timeout}, default 120s)
 * @param fetchTls               TLS towards the part stores, null = plaintext ({@code --fetch-tls-*})
 * @param syncTls                TLS towards the data nodes, null = plaintext ({@code --sync-tls-*})
 * @param topologyApplicationId the topology's application id: a node topic's log start is never advanced past
 *                               what that Kafka Streams group has committed, so the topology always reads an
 *                               enqueue record (and learns its targets) before it is deleted; empty turns the
 *                               guard off ({@code --topology-application-id}, default {@code handoff-topology})
 * @param commitTimeout          longest the poll thread waits in one Kafka transaction step (begin, send, commit,
 *                               abort; the transactional producer's {@code max.block.ms}); a commit that times
 *                               out is not aborted: the replayer rejoins with a fresh producer, which aborts it
 *                               ({@code --commit-timeout}, default 30s)
 * @param adaptiveConcurrency    adapt each node's in-flight deliveries between 1 and {@code maxInFlightPerNode}
 *                               (AIMD on latency and timeouts, see docs/REPLAYER.md); false = always the maximum
 *                               ({@code --adaptive-concurrency}, default true)
 * @param sinkFactory            creates the receiving side; default {@link GrpcPartSink} (handoff.v1.PartSync). Not a CLI option.
 * @param allowedSources         hosts a record's {@code source} may name (host patterns or CIDRs, {@link AddressAllowlist});
 *                               a record outside is parked {@code not-allowed} without being fetched
 *                               ({@code --allowed-sources}, default any)
 * @param allowedNodes           the same for a record's {@code node}: never dialled outside it ({@code --allowed-nodes},
 *                               default any)
 */
public record ReplayerSettings(
    KafkaSettings kafka,
    String topicPrefix,
    String groupId,
    String instanceId,
    int maxInFlightPerNode,
    long maxInFlightBytes,
    int retryBudget,
    Duration backoffInitial,
    Duration backoffMax,
    long maxBytesPerSec,
    long maxPartsPerSec,
    Duration logStartAdvanceInterval,
    int chunkSize,
    int deliveryThreads,
    Duration sessionTimeout,
    TlsConfig fetchTls,
    TlsConfig syncTls,
    String topologyApplicationId,
    Duration commitTimeout,
    PartSink.Factory sinkFactory,
    boolean adaptiveConcurrency,
    AddressAllowlist allowedSources,
    AddressAllowlist allowedNodes) {

    public static final String DEFAULT_GROUP_ID = "handoff-replayer";
    public static final int DEFAULT_MAX_IN_FLIGHT_PER_NODE = 16;
    public static final long DEFAULT_MAX_IN_FLIGHT_BYTES = 1L << 30;
    public static final int DEFAULT_RETRY_BUDGET = 20;
    public static final Duration DEFAULT_BACKOFF_INITIAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofSeconds(60);
    /** 0: no rate limit. */
    public static final long DEFAULT_MAX_BYTES_PER_SEC = 0;
    /** 0: no rate limit. */
    public static final long DEFAULT_MAX_PARTS_PER_SEC = 0;
    public static final Duration DEFAULT_LOG_START_ADVANCE_INTERVAL = Duration.ofSeconds(30);
    public static final int DEFAULT_CHUNK_SIZE = 1024 * 1024;
    public static final int MAX_CHUNK_SIZE = 4 * 1024 * 1024;
    public static final int DEFAULT_DELIVERY_THREADS = 32;
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(120);
    public static final String DEFAULT_TOPOLOGY_APPLICATION_ID = Topics.DEFAULT_TOPOLOGY_APPLICATION_ID;
    public static final Duration DEFAULT_COMMIT_TIMEOUT = Duration.ofSeconds(30);
    public static final boolean DEFAULT_ADAPTIVE_CONCURRENCY = true;

    public ReplayerSettings {
        Names.required("kafka", kafka);
        new Topics(topicPrefix);
        Names.requireName("groupId", groupId);
        Names.requireName("instanceId", instanceId);
        positive("maxInFlightPerNode", maxInFlightPerNode);
        positive("maxInFlightBytes", maxInFlightBytes);
        positive("retryBudget", retryBudget);
        positive("backoffInitial", Names.required("backoffInitial", backoffInitial).toMillis());
        if (Names.required("backoffMax", backoffMax).compareTo(backoffInitial) < 0) {
            throw new InvalidFieldException("backoffMax", backoffMax, "must be >= backoffInitial " + backoffInitial);
        }
        Names.nonNegative("maxBytesPerSec", maxBytesPerSec);
        Names.nonNegative("maxPartsPerSec", maxPartsPerSec);
        positive("logStartAdvanceInterval", Names.required("logStartAdvanceInterval", logStartAdvanceInterval).toMillis());
        if (chunkSize < 1024 || chunkSize > MAX_CHUNK_SIZE) {
            throw new InvalidFieldException("chunkSize", chunkSize, "between 1024 and " + MAX_CHUNK_SIZE + " bytes");
        }
        positive("deliveryThreads", deliveryThreads);
        positive("sessionTimeout", Names.required("sessionTimeout", sessionTimeout).toMillis());
        topologyApplicationId = requireNonNullElse(topologyApplicationId, "");
        if (!topologyApplicationId.isEmpty()) {
            Names.requireName("topologyApplicationId", topologyApplicationId);
        }
        positive("commitTimeout", Names.required("commitTimeout", commitTimeout).toMillis());
        sinkFactory = requireNonNullElse(sinkFactory, GrpcPartSink::new);
        allowedSources = requireNonNullElse(allowedSources, AddressAllowlist.of("allowedSources", List.of()));
        allowedNodes = requireNonNullElse(allowedNodes, AddressAllowlist.of("allowedNodes", List.of()));
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
        Builder b = new Builder(kafka);
        b.topicPrefix = topicPrefix;
        b.groupId = groupId;
        b.instanceId = instanceId;
        b.maxInFlightPerNode = maxInFlightPerNode;
        b.maxInFlightBytes = maxInFlightBytes;
        b.retryBudget = retryBudget;
        b.backoffInitial = backoffInitial;
        b.backoffMax = backoffMax;
        b.maxBytesPerSec = maxBytesPerSec;
        b.maxPartsPerSec = maxPartsPerSec;
        b.logStartAdvanceInterval = logStartAdvanceInterval;
        b.chunkSize = chunkSize;
        b.deliveryThreads = deliveryThreads;
        b.sessionTimeout = sessionTimeout;
        b.fetchTls = fetchTls;
        b.syncTls = syncTls;
        b.topologyApplicationId = topologyApplicationId;
        b.commitTimeout = commitTimeout;
        b.sinkFactory = sinkFactory;
        b.adaptiveConcurrency = adaptiveConcurrency;
        b.allowedSources = allowedSources;
        b.allowedNodes = allowedNodes;
        return b;
    }

    private static void positive(String field, long value) {
        if (value <= 0) {
            throw new InvalidFieldException(field, value, "must be > 0");
        }
    }

    /** Builds settings from the defaults; {@link #build()} validates. */
    public static final class Builder {
        private final KafkaSettings kafka;
        private String topicPrefix = Topics.DEFAULT_PREFIX;
        private String groupId = DEFAULT_GROUP_ID;
        private String instanceId = UUID.randomUUID().toString().substring(0, 8);
        private int maxInFlightPerNode = DEFAULT_MAX_IN_FLIGHT_PER_NODE;
        private long maxInFlightBytes = DEFAULT_MAX_IN_FLIGHT_BYTES;
        private int retryBudget = DEFAULT_RETRY_BUDGET;
        private Duration backoffInitial = DEFAULT_BACKOFF_INITIAL;
        private Duration backoffMax = DEFAULT_BACKOFF_MAX;
        private long maxBytesPerSec = DEFAULT_MAX_BYTES_PER_SEC;
        private long maxPartsPerSec = DEFAULT_MAX_PARTS_PER_SEC;
        private Duration logStartAdvanceInterval = DEFAULT_LOG_START_ADVANCE_INTERVAL;
        private int chunkSize = DEFAULT_CHUNK_SIZE;
        private int deliveryThreads = DEFAULT_DELIVERY_THREADS;
        private Duration sessionTimeout = DEFAULT_SESSION_TIMEOUT;
        private TlsConfig fetchTls;
        private TlsConfig syncTls;
        private String topologyApplicationId = DEFAULT_TOPOLOGY_APPLICATION_ID;
        private Duration commitTimeout = DEFAULT_COMMIT_TIMEOUT;
        private PartSink.Factory sinkFactory;
        private boolean adaptiveConcurrency = DEFAULT_ADAPTIVE_CONCURRENCY;
        private AddressAllowlist allowedSources;
        private AddressAllowlist allowedNodes;

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
            return new ReplayerSettings(kafka, topicPrefix, groupId, instanceId, maxInFlightPerNode, maxInFlightBytes,
                retryBudget, backoffInitial, backoffMax, maxBytesPerSec, maxPartsPerSec, logStartAdvanceInterval,
                chunkSize, deliveryThreads, sessionTimeout, fetchTls, syncTls, topologyApplicationId, commitTimeout,
                sinkFactory, adaptiveConcurrency, allowedSources, allowedNodes);
        }
    }
}
