package dev.handoff.topology;

import dev.handoff.protocol.Completion;
import dev.handoff.protocol.NodeStatus;
import dev.handoff.protocol.Release;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.json.JsonSerde;
import dev.handoff.topology.state.NodeEvent;
import dev.handoff.topology.state.NodeState;
import dev.handoff.topology.state.Pending;
import dev.handoff.topology.state.ReleaseTracking;
import dev.handoff.topology.state.TrackerEntry;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The handoff topology, built by one static function that both {@link TopologyApp} and the
 * {@code TopologyTestDriver} tests use. Every processor, store and internal topic is named here;
 * internal topics are {@code <application.id>-<name>-repartition|changelog}.
 *
 * <pre>
 * health, control, node topics (pattern), completions   (raw bytes)
 *   -> *-decode (unreadable: counted, logged, skipped) -> merge
 *   -> node-events (repartition by node)
 *   -> node-status (stores: node-state, pending, pending-index, early-completion, enqueue-watermark)
 *        -> node-output-status   -> node-status topic (key node)
 *        -> node-output-tracking -> release-tracking (repartition by PartKey)
 *             -> release-tracker (store: release-tracker) -> released topic (key liaison)
 * </pre>
 */
public final class HandoffTopology {
    public static final String NODE_EVENTS_TOPIC = "node-events";
    public static final String RELEASE_TRACKING_TOPIC = "release-tracking";
    public static final String NODE_STATE_STORE = "node-state";
    public static final String PENDING_STORE = "pending";
    public static final String PENDING_INDEX_STORE = "pending-index";
    public static final String EARLY_COMPLETION_STORE = "early-completion";
    public static final String WATERMARK_STORE = "enqueue-watermark";
    public static final String RELEASE_TRACKER_STORE = "release-tracker";

    private static final Serde<String> KEYS = Serdes.String();
    private static final Serde<byte[]> RAW = Serdes.ByteArray();

    private HandoffTopology() {
    }

    /**
     * Adds the topology to {@code builder}.
     *
     * @param internalPartitions partitions of the two repartition topics; 0 lets Kafka Streams derive
     *     them from the input topics
     * @return {@code builder}, for {@code build(props)}
     */
    public static StreamsBuilder build(StreamsBuilder builder, Topics topics, int internalPartitions, TopologyMetrics metrics) {
        addStores(builder);
        KStream<String, NodeEvent> health = decode(builder.stream(topics.health(), source("health-source")),
            "health-decode", TopologyMetrics.Input.HEALTH, DecodeProcessor.health(), metrics);
        KStream<String, NodeEvent> control = decode(builder.stream(topics.control(), source("control-source")),
            "control-decode", TopologyMetrics.Input.CONTROL, DecodeProcessor.control(), metrics);
        KStream<String, NodeEvent> enqueued = decode(builder.stream(topics.nodePattern(), source("node-topics-source")),
            "enqueue-decode", TopologyMetrics.Input.ENQUEUE, DecodeProcessor.enqueue(topics), metrics);
        KStream<String, NodeEvent> completions = decode(builder.stream(topics.completions(), source("completions-source")),
            "completion-decode", TopologyMetrics.Input.COMPLETION, DecodeProcessor.completion(topics), metrics);

        KStream<String, NodeEvent> events = health
            .merge(control, Named.as("merge-control"))
            .merge(enqueued, Named.as("merge-enqueue"))
            .merge(completions, Named.as("merge-completions"))
            .repartition(repartitioned(NODE_EVENTS_TOPIC, JsonSerde.of(NodeEvent.class), internalPartitions));

        Map<String, KStream<String, NodeOutput>> outputs = events
            .process(() -> new NodeStatusProcessor(metrics), Named.as("node-status"),
                NODE_STATE_STORE, PENDING_STORE, PENDING_INDEX_STORE, EARLY_COMPLETION_STORE, WATERMARK_STORE)
            .split(Named.as("node-output-"))
            .branch((k, v) -> v.status() != null, Branched.as("status"))
            .branch((k, v) -> v.tracking() != null, Branched.as("tracking"))
            .noDefaultBranch();

        outputs.get("node-output-status")
            .mapValues(NodeOutput::status, Named.as("status-value"))
            .to(topics.nodeStatus(), Produced.with(KEYS, JsonSerde.of(NodeStatus.class)).withName("node-status-sink"));

        outputs.get("node-output-tracking")
            .mapValues(NodeOutput::tracking, Named.as("tracking-value"))
            .repartition(repartitioned(RELEASE_TRACKING_TOPIC, JsonSerde.of(ReleaseTracking.class), internalPartitions))
            .process(() -> new ReleaseTrackerProcessor(metrics), Named.as("release-tracker"), RELEASE_TRACKER_STORE)
            .to(topics.released(), Produced.with(KEYS, JsonSerde.of(Release.class)).withName("released-sink"));
        return builder;
    }

    private static Consumed<String, byte[]> source(String name) {
        return Consumed.with(KEYS, RAW).withName(name);
    }

    private static KStream<String, NodeEvent> decode(KStream<String, byte[]> in, String name, TopologyMetrics.Input input,
        DecodeProcessor.Decoder decoder, TopologyMetrics metrics) {
        return in.process(() -> new DecodeProcessor(input, decoder, metrics), Named.as(name));
    }

    private static <V> Repartitioned<String, V> repartitioned(String name, Serde<V> values, int partitions) {
        Repartitioned<String, V> r = Repartitioned.<String, V>as(name).withKeySerde(KEYS).withValueSerde(values);
        return partitions > 0 ? r.withNumberOfPartitions(partitions) : r;
    }

    private static void addStores(StreamsBuilder builder) {
        builder.addStateStore(store(NODE_STATE_STORE, JsonSerde.of(NodeState.class)));
        builder.addStateStore(store(PENDING_STORE, JsonSerde.of(Pending.class)));
        builder.addStateStore(store(PENDING_INDEX_STORE, Serdes.String()));
        builder.addStateStore(store(EARLY_COMPLETION_STORE, JsonSerde.of(Completion.class)));
        builder.addStateStore(store(WATERMARK_STORE, Serdes.Long()));
        builder.addStateStore(store(RELEASE_TRACKER_STORE, JsonSerde.of(TrackerEntry.class)));
    }

    private static <V> StoreBuilder<?> store(String name, Serde<V> values) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), KEYS, values);
    }
}
