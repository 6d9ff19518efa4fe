package dev.handoff.producer;

import dev.handoff.protocol.Names;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.common.KafkaSettings;
import dev.handoff.protocol.common.TlsConfig;
import dev.handoff.protocol.common.TopicAdmin.TopicSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Configuration of the producer role ({@code handoff producer}), grouped by what each part configures. Every
 * component maps to a {@code --kebab-case} CLI option of the same meaning; each group owns its defaults (its
 * {@code DEFAULT_*} constants), which {@link #builder} starts from and the CLI shows.
 *
 * @param storeDir    {@code --store-dir}: root of the part store; bundles live under {@code <storeDir>/<liaison>/}.
 *                    Should be on the liaison's data file system so files are hard-linked, not copied. Required.
 * @param liaison     {@code --liaison}: this liaison's name, the first segment of every PartKey it enqueues and the
 *                    key of the releases it consumes. Required.
 * @param kafka       {@code --bootstrap-servers} and {@code --kafka-config}. Required.
 * @param topicPrefix {@code --topic-prefix}: prefix of every topic. Default {@code handoff}.
 * @param partStore   the PartStore gRPC server replayers fetch from
 * @param store       the store's size limits
 * @param health      the health checks of the data nodes
 * @param publish     how records reach Kafka
 * @param enqueue     the Enqueue gRPC server
 * @param storeCheck  the periodic comparison of the store with Kafka
 */
public record ProducerSettings(
    Path storeDir,
    String liaison,
    KafkaSettings kafka,
    String topicPrefix,
    PartStoreServerSettings partStore,
    StoreLimits store,
    HealthCheckSettings health,
    PublishSettings publish,
    EnqueueServerSettings enqueue,
    StoreCheckSettings storeCheck) {

    public ProducerSettings {
        Names.required("storeDir", storeDir);
        Names.requireName("liaison", liaison);
        Names.required("kafka", kafka);
        new Topics(topicPrefix);
        Names.required("partStore", partStore);
        Names.required("store", store);
        Names.required("health", health);
        Names.required("publish", publish);
        Names.required("enqueue", enqueue);
        Names.required("storeCheck", storeCheck);
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
        return new Builder(storeDir, liaison, kafka).topicPrefix(topicPrefix)
            .advertisedAddress(partStore.advertisedAddress()).listen(partStore.host(), partStore.port())
            .serverTls(partStore.tls()).chunkSizeBytes(partStore.chunkSizeBytes())
            .storeLimits(store.maxBytes(), store.maxPercent()).storeMaxBytesPerNode(store.maxBytesPerNode())
            .healthInterval(health.interval()).healthTimeout(health.timeout())
            .heartbeatInterval(health.heartbeatInterval()).nodes(health.nodes()).clientTls(health.tls())
            .publishTimeout(publish.timeout()).republishInterval(publish.republishInterval()).maxAge(publish.maxAge())
            .nodeTopics(publish.nodeTopics()).fixedTopics(publish.fixedTopics())
            .enqueueRoot(enqueue.root()).enqueueListen(enqueue.host(), enqueue.port()).enqueueTls(enqueue.tls())
            .storeCheckInterval(storeCheck.interval()).replayerGroupId(storeCheck.replayerGroupId());
    }

    /** Collects settings; a value not set is its group's default. */
    public static final class Builder {
        private final Path storeDir;
        private final String liaison;
        private final KafkaSettings kafka;
        private String topicPrefix = Topics.DEFAULT_PREFIX;
        private String advertisedAddress;
        private String listenHost;
        private int listenPort = PartStoreServerSettings.DEFAULT_PORT;
        private TlsConfig serverTls;
        private int chunkSizeBytes = PartStoreServerSettings.DEFAULT_CHUNK_SIZE;
        private Long storeMaxBytes = StoreLimits.DEFAULT_MAX_BYTES;
        private Double storeMaxPercent = StoreLimits.DEFAULT_MAX_PERCENT;
        private Long storeMaxBytesPerNode = StoreLimits.DEFAULT_MAX_BYTES_PER_NODE;
        private Duration healthInterval;
        private Duration healthTimeout;
        private Duration heartbeatInterval;
        private List<String> nodes;
        private TlsConfig clientTls;
        private Duration publishTimeout;
        private Duration republishInterval;
        private Duration maxAge = PublishSettings.DEFAULT_MAX_AGE;
        private TopicSettings nodeTopics;
        private TopicSettings fixedTopics;
        private Path enqueueRoot;
        private String enqueueListenHost;
        private int enqueueListenPort = EnqueueServerSettings.DEFAULT_PORT;
        private TlsConfig enqueueTls;
        private Duration storeCheckInterval = StoreCheckSettings.DEFAULT_INTERVAL;
        private String replayerGroupId;

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

        public Builder nodes(List<String> v) { nodes = Names.required("nodes", v); return this; }

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
            return new ProducerSettings(storeDir, liaison, kafka, topicPrefix,
                new PartStoreServerSettings(listenHost, listenPort, advertisedAddress, serverTls, chunkSizeBytes),
                new StoreLimits(storeMaxBytes, storeMaxPercent, storeMaxBytesPerNode),
                new HealthCheckSettings(healthInterval, healthTimeout, heartbeatInterval, nodes, clientTls),
                new PublishSettings(publishTimeout, republishInterval, maxAge, nodeTopics, fixedTopics),
                new EnqueueServerSettings(enqueueRoot, enqueueListenHost, enqueueListenPort, enqueueTls),
                new StoreCheckSettings(storeCheckInterval, replayerGroupId));
        }
    }
}
