package dev.handoff.producer;

import dev.handoff.protocol.InvalidFieldException;
import dev.handoff.protocol.Names;
import dev.handoff.protocol.NodeAddress;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.common.KafkaSettings;
import dev.handoff.protocol.common.TlsConfig;
import dev.handoff.protocol.common.TopicAdmin.TopicSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Configuration of the producer role ({@code handoff producer}). Every component maps to a
 * {@code --kebab-case} CLI option of the same meaning; the {@code DEFAULT_*} constants are the defaults,
 * which {@link #builder} starts from and the CLI shows.
 *
 * @param storeDir           {@code --store-dir}: root of the part store; bundles live under
 *                           {@code <storeDir>/<liaison>/}. Should be on the liaison's data file
 *                           system so files are hard-linked, not copied. Required.
 * @param liaison            {@code --liaison}: this liaison's name, the first segment of every PartKey
 *                           it enqueues and the key of the releases it consumes. Required.
 * @param advertisedAddress  {@code --advertised-address}: {@code host:port} replayers fetch from,
 *                           written into every record's {@code source}; null means
 *                           {@code <listen host or local host name>:<bound port>}. Default null.
 * @param listenHost         host of {@code --listen HOST:PORT}: interface of the PartStore gRPC server.
 *                           Default {@code 0.0.0.0}.
 * @param listenPort         port of {@code --listen HOST:PORT}: port of the PartStore gRPC server, 0 picks a
 *                           free one. Default 17913.
 * @param kafka              {@code --bootstrap-servers} and {@code --kafka-config}. Required.
 * @param topicPrefix        {@code --topic-prefix}: prefix of every topic. Default {@code handoff}.
 * @param nodeTopics         settings of the node topics this producer creates on first use. Default
 *                           {@link TopicSettings#single()}: 1 partition, RF 1, broker's min ISR; the CLI gives
 *                           {@code --partitions}, {@code --replication-factor}, {@code --min-insync-replicas}
 *                           (default {@link TopicSettings#created()}) to both this and {@code fixedTopics}.
 * @param fixedTopics        settings used when the fixed topics this role reads and writes ({@code health},
 *                           {@code released}, {@code completions}) do not exist yet. Default
 *                           {@link TopicSettings#single()}.
 * @param storeMaxBytes      {@code --store-max-bytes}: largest total size of stored bundles; null for no
 *                           byte limit. Default null.
 * @param storeMaxPercent    {@code --store-max-percent}: largest share (0-100] of the store file system's
 *                           total size that stored bundles may use; null or 0 (kept as null) for none.
 *                           Default 90. When both limits are set the smaller one applies; at least one must
 *                           be set. A file system that reports no size leaves {@code storeMaxBytes} alone
 *                           (see {@link StoreSpace#limit}).
 * @param chunkSizeBytes     {@code --chunk-size}: default Fetch chunk size and the cap of a requested one,
 *                           1 B - 4 MiB. Default 1 MiB.
 * @param healthInterval     {@code --health-interval}: how often every known node is health-checked. Default 1 s.
 * @param healthTimeout      {@code --health-timeout}: deadline of one health check. Default 800 ms.
 * @param heartbeatInterval  {@code --health-heartbeat}: how often the current health of every node is
 *                           published even without a transition. Default 10 s.
 * @param nodes              {@code --nodes}: data nodes to watch from the start ({@code host:port,...});
 *                           every node enqueued for is added at run time. Default none.
 * @param serverTls          {@code --tls-cert}, {@code --tls-key}, {@code --tls-trust}: TLS of the
 *                           PartStore server (mTLS when a client CA is given); null for plaintext.
 * @param clientTls          {@code --client-tls-ca}, {@code --client-tls-cert}, {@code --client-tls-key}: TLS of
 *                           the health-check channels to data nodes; null for plaintext.
 * @param enqueueRoot        {@code --enqueue-root}: serve the {@code handoff.v1.Liaison} Enqueue service for
 *                           part directories under this directory (on this host); null, the default, does
 *                           not serve it.
 * @param publishTimeout     {@code --publish-timeout}: how long an enqueue waits for Kafka to acknowledge
 *                           its records, topic creation and metadata included; also bounds each send's
 *                           wait for metadata or buffer space ({@code max.block.ms}). A producer client
 *                           that leaves a publish unacknowledged this long is replaced. Default 60 s.
 * @param republishInterval  {@code --republish-interval}: how often the running producer publishes again
 *                           the bundles whose publish failed. Default 5 s.
 * @param storeMaxBytesPerNode {@code --store-max-bytes-per-node}: largest total size of the stored bundles one
 *                           node is a target of (a bundle counts in full against each of its targets' quotas, and
 *                           once against the store's limit); null, the default, for no per-node quota.
 * @param maxAge             {@code --max-age}: records get {@code expiresAt = enqueuedAt + maxAge}, and a record
 *                           past it is completed as EXPIRED without delivery; null, the default, for no expiry.
 * @param enqueueListenHost  host of {@code --enqueue-listen HOST:PORT}: interface of the Enqueue gRPC server, a
 *                           listener of its own (served only with {@code enqueueRoot}). Default {@code 127.0.0.1};
 *                           any other than a loopback address requires {@code enqueueTls} with client certificates.
 * @param enqueueListenPort  port of {@code --enqueue-listen}, 0 picks a free one. Default 17914.
 * @param enqueueTls         {@code --enqueue-tls-cert}, {@code --enqueue-tls-key}, {@code --enqueue-tls-trust}: TLS of
 *                           the Enqueue server, mTLS with a trust file; null for plaintext (loopback only).
 * @param storeCheckInterval {@code --store-check-interval}: how often the producer compares its store with Kafka
 *                           ({@link StoreCheck}, file sizes only) and updates the {@code handoff.store.check.*}
 *                           gauges; null for never. Default 1 h.
 * @param replayerGroupId    {@code --replayer-group-id}: the replayers' consumer group, whose committed offsets say
 *                           which records are pending. Default {@code handoff-replayer}.
 */
public record ProducerSettings(
    Path storeDir,
    String liaison,
    String advertisedAddress,
    String listenHost,
    int listenPort,
    KafkaSettings kafka,
    String topicPrefix,
    TopicSettings nodeTopics,
    TopicSettings fixedTopics,
    Long storeMaxBytes,
    Double storeMaxPercent,
    int chunkSizeBytes,
    Duration healthInterval,
    Duration healthTimeout,
    Duration heartbeatInterval,
    List<String> nodes,
    TlsConfig serverTls,
    TlsConfig clientTls,
    Path enqueueRoot,
    Duration publishTimeout,
    Duration republishInterval,
    Long storeMaxBytesPerNode,
    Duration maxAge,
    String enqueueListenHost,
    int enqueueListenPort,
    TlsConfig enqueueTls,
    Duration storeCheckInterval,
    String replayerGroupId) {

    public static final String DEFAULT_LISTEN_HOST = "0.0.0.0";
    public static final int DEFAULT_PORT = 17913;
    /** No byte limit: the percentage limit alone applies. */
    public static final Long DEFAULT_STORE_MAX_BYTES = null;
    public static final double DEFAULT_STORE_MAX_PERCENT = 90.0;
    public static final int DEFAULT_CHUNK_SIZE = 1024 * 1024;
    public static final int MAX_CHUNK_SIZE = 4 * 1024 * 1024;
    public static final Duration DEFAULT_HEALTH_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_HEALTH_TIMEOUT = Duration.ofMillis(800);
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(10);
    public static final Duration DEFAULT_PUBLISH_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_REPUBLISH_INTERVAL = Duration.ofSeconds(5);
    /** No per-node quota: the store's limit alone applies. */
    public static final Long DEFAULT_STORE_MAX_BYTES_PER_NODE = null;
    /** No expiry: records carry {@code expiresAt: null}. */
    public static final Duration DEFAULT_MAX_AGE = null;
    /** Enqueue listens on loopback only unless mTLS protects it. */
    public static final String DEFAULT_ENQUEUE_LISTEN_HOST = "127.0.0.1";
    public static final int DEFAULT_ENQUEUE_PORT = 17914;
    public static final Duration DEFAULT_STORE_CHECK_INTERVAL = Duration.ofHours(1);
    public static final String DEFAULT_REPLAYER_GROUP_ID = "handoff-replayer";

    public ProducerSettings {
        Names.required("storeDir", storeDir);
        Names.requireName("liaison", liaison);
        if (advertisedAddress != null) {
            NodeAddress.require("advertisedAddress", advertisedAddress);
        }
        if (listenHost == null || listenHost.isBlank()) {
            throw new InvalidFieldException("listenHost", listenHost, "a host name or IP address");
        }
        if (listenPort < 0 || listenPort > 65535) {
            throw new InvalidFieldException("listenPort", listenPort, "0-65535 (0 picks a free port)");
        }
        Names.required("kafka", kafka);
        new Topics(topicPrefix);
        Names.required("nodeTopics", nodeTopics);
        Names.required("fixedTopics", fixedTopics);
        if (storeMaxPercent != null && storeMaxPercent == 0) {
            storeMaxPercent = null;
        }
        validateLimits(storeMaxBytes, storeMaxPercent);
        if (chunkSizeBytes < 1 || chunkSizeBytes > MAX_CHUNK_SIZE) {
            throw new InvalidFieldException("chunkSizeBytes", chunkSizeBytes, "1-" + MAX_CHUNK_SIZE);
        }
        positive("healthInterval", healthInterval);
        positive("healthTimeout", healthTimeout);
        positive("heartbeatInterval", heartbeatInterval);
        positive("publishTimeout", publishTimeout);
        positive("republishInterval", republishInterval);
        nodes = List.copyOf(Names.required("nodes", nodes));
        nodes.forEach(n -> NodeAddress.require("nodes", n));
        if (storeMaxBytesPerNode != null && storeMaxBytesPerNode < 0) {
            throw new InvalidFieldException("storeMaxBytesPerNode", storeMaxBytesPerNode, "must be >= 0, or null for none");
        }
        if (maxAge != null) {
            positive("maxAge", maxAge);
        }
        if (enqueueListenHost == null || enqueueListenHost.isBlank()) {
            throw new InvalidFieldException("enqueueListenHost", enqueueListenHost, "a host name or IP address");
        }
        if (enqueueListenPort < 0 || enqueueListenPort > 65535) {
            throw new InvalidFieldException("enqueueListenPort", enqueueListenPort, "0-65535 (0 picks a free port)");
        }
        if (storeCheckInterval != null) {
            positive("storeCheckInterval", storeCheckInterval);
        }
        Names.requireName("replayerGroupId", replayerGroupId);
        if (enqueueRoot != null && !Loopback.is(enqueueListenHost) && (enqueueTls == null || !enqueueTls.mutual())) {
            throw new InvalidFieldException("enqueueListenHost", enqueueListenHost,
                "Enqueue may listen beyond loopback only with mTLS (--enqueue-tls-cert, --enqueue-tls-key and "
                    + "--enqueue-tls-trust): anyone who reaches it could enqueue any part under the root for any node");
        }
    }

    /** Settings with every default; the three required values are given. */
    public static Builder builder(Path storeDir, String liaison, KafkaSettings kafka) {
        return new Builder(storeDir, liaison, kafka);
    }

    public Topics topics() {
        return new Topics(topicPrefix);
    }

    /** A builder holding these settings, to change a few. */
    public Builder toBuilder() {
        return new Builder(storeDir, liaison, kafka).advertisedAddress(advertisedAddress).listen(listenHost, listenPort)
            .topicPrefix(topicPrefix).nodeTopics(nodeTopics).fixedTopics(fixedTopics)
            .storeLimits(storeMaxBytes, storeMaxPercent).chunkSizeBytes(chunkSizeBytes).healthInterval(healthInterval)
            .healthTimeout(healthTimeout).heartbeatInterval(heartbeatInterval).nodes(nodes).serverTls(serverTls)
            .clientTls(clientTls).enqueueRoot(enqueueRoot).publishTimeout(publishTimeout)
            .republishInterval(republishInterval).storeMaxBytesPerNode(storeMaxBytesPerNode).maxAge(maxAge)
            .enqueueListen(enqueueListenHost, enqueueListenPort).enqueueTls(enqueueTls)
            .storeCheckInterval(storeCheckInterval).replayerGroupId(replayerGroupId);
    }

    private static void validateLimits(Long maxBytes, Double maxPercent) {
        if (maxBytes == null && maxPercent == null) {
            throw new InvalidFieldException("storeMaxBytes", null,
                "set storeMaxBytes, storeMaxPercent or both (with storeMaxPercent off, storeMaxBytes is the only limit)");
        }
        if (maxBytes != null && maxBytes < 0) {
            throw new InvalidFieldException("storeMaxBytes", maxBytes, "must be >= 0");
        }
        if (maxPercent != null && (!(maxPercent > 0) || maxPercent > 100)) {
            throw new InvalidFieldException("storeMaxPercent", maxPercent, "a percentage in (0, 100], or 0 for none");
        }
    }

    private static void positive(String field, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new InvalidFieldException(field, d, "a positive duration");
        }
    }

    /** Collects settings; every field starts at its documented default. */
    public static final class Builder {
        private final Path storeDir;
        private final String liaison;
        private final KafkaSettings kafka;
        private String advertisedAddress;
        private String listenHost = DEFAULT_LISTEN_HOST;
        private int listenPort = DEFAULT_PORT;
        private String topicPrefix = Topics.DEFAULT_PREFIX;
        private TopicSettings nodeTopics = TopicSettings.single();
        private TopicSettings fixedTopics = TopicSettings.single();
        private Long storeMaxBytes = DEFAULT_STORE_MAX_BYTES;
        private Double storeMaxPercent = DEFAULT_STORE_MAX_PERCENT;
        private int chunkSizeBytes = DEFAULT_CHUNK_SIZE;
        private Duration healthInterval = DEFAULT_HEALTH_INTERVAL;
        private Duration healthTimeout = DEFAULT_HEALTH_TIMEOUT;
        private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
        private List<String> nodes = List.of();
        private TlsConfig serverTls;
        private TlsConfig clientTls;
        private Duration publishTimeout = DEFAULT_PUBLISH_TIMEOUT;
        private Duration republishInterval = DEFAULT_REPUBLISH_INTERVAL;
        private Path enqueueRoot;
        private Long storeMaxBytesPerNode = DEFAULT_STORE_MAX_BYTES_PER_NODE;
        private Duration maxAge = DEFAULT_MAX_AGE;
        private String enqueueListenHost = DEFAULT_ENQUEUE_LISTEN_HOST;
        private int enqueueListenPort = DEFAULT_ENQUEUE_PORT;
        private TlsConfig enqueueTls;
        private Duration storeCheckInterval = DEFAULT_STORE_CHECK_INTERVAL;
        private String replayerGroupId = DEFAULT_REPLAYER_GROUP_ID;

        private Builder(Path storeDir, String liaison, KafkaSettings kafka) {
            this.storeDir = storeDir;
            this.liaison = liaison;
            this.kafka = kafka;
        }

        public Builder advertisedAddress(String v) { advertisedAddress = v; return this; }

        public Builder listen(String host, int port) { listenHost = host; listenPort = port; return this; }

        public Builder topicPrefix(String v) { topicPrefix = v; return this; }

        public Builder nodeTopics(TopicSettings v) { nodeTopics = v; return this; }

        public Builder fixedTopics(TopicSettings v) { fixedTopics = v; return this; }

        /** Sets both limits; either may be null (not both); a percentage of 0 is none. */
        public Builder storeLimits(Long maxBytes, Double maxPercent) {
            storeMaxBytes = maxBytes;
            storeMaxPercent = maxPercent;
            return this;
        }

        public Builder chunkSizeBytes(int v) { chunkSizeBytes = v; return this; }

        public Builder healthInterval(Duration v) { healthInterval = v; return this; }

        public Builder healthTimeout(Duration v) { healthTimeout = v; return this; }

        public Builder heartbeatInterval(Duration v) { heartbeatInterval = v; return this; }

        public Builder nodes(List<String> v) { nodes = v; return this; }

        public Builder serverTls(TlsConfig v) { serverTls = v; return this; }

        public Builder clientTls(TlsConfig v) { clientTls = v; return this; }

        public Builder publishTimeout(Duration v) { publishTimeout = v; return this; }

        public Builder republishInterval(Duration v) { republishInterval = v; return this; }

        public Builder enqueueRoot(Path v) { enqueueRoot = v; return this; }

        public Builder storeMaxBytesPerNode(Long v) { storeMaxBytesPerNode = v; return this; }

        public Builder maxAge(Duration v) { maxAge = v; return this; }

        public Builder enqueueListen(String host, int port) { enqueueListenHost = host; enqueueListenPort = port; return this; }

        public Builder enqueueTls(TlsConfig v) { enqueueTls = v; return this; }

        /** Null turns the periodic store check off. */
        public Builder storeCheckInterval(Duration v) { storeCheckInterval = v; return this; }

        public Builder replayerGroupId(String v) { replayerGroupId = v; return this; }

        public ProducerSettings build() {
            return new ProducerSettings(storeDir, liaison, advertisedAddress, listenHost, listenPort, kafka, topicPrefix,
                nodeTopics, fixedTopics, storeMaxBytes, storeMaxPercent, chunkSizeBytes, healthInterval, healthTimeout,
                heartbeatInterval, nodes, serverTls, clientTls, enqueueRoot, publishTimeout, republishInterval,
                storeMaxBytesPerNode, maxAge, enqueueListenHost, enqueueListenPort, enqueueTls,
                storeCheckInterval, replayerGroupId);
        }
    }
}
