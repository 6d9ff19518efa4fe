package dev.handoff.topology;

import dev.handoff.protocol.Completion;
import dev.handoff.protocol.NodeStatus;
import dev.handoff.protocol.Release;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.common.Quarantine;
import dev.handoff.protocol.json.JsonSerde;
import dev.handoff.topology.state.NodeEvent;
import dev.handoff.topology.state.NodeState;
import dev.handoff.topology.state.Pending;
import dev.handoff.topology.state.ReleaseTracking;
import dev.handoff.topology.state.TrackerEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.BranchedKStream;
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
 * health, control, enqueued (the relay's copies of node-topic records), completions   (raw bytes)
 *   -> *-decode -> *-readable -> *-event -> merge
 *               -> *-unreadable -> *-quarantine -> quarantine-sink   (health, control, completions:
 *                  original key and value, headers: input, reason, error, topic/partition/offset)
 *      (unreadable node-topic records: counted and skipped; the replayer parks them)
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
        List<KStream<byte[], byte[]>> unreadable = new ArrayList<>();
        KStream<String, NodeEvent> health = decode(builder.stream(topics.health(), source("health-source")), "health",
            TopologyMetrics.Input.HEALTH, Quarantine.Input.HEALTH, DecodeProcessor.health(), metrics, unreadable);
        KStream<String, NodeEvent> control = decode(builder.stream(topics.control(), source("control-source")), "control",
            TopologyMetrics.Input.CONTROL, Quarantine.Input.CONTROL, DecodeProcessor.control(), metrics, unreadable);
        KStream<String, NodeEvent> enqueued = decode(builder.stream(topics.enqueued(), source("enqueued-source")),
            "enqueue", TopologyMetrics.Input.ENQUEUE, null, DecodeProcessor.enqueue(topics), metrics, unreadable);
        KStream<String, NodeEvent> completions = decode(builder.stream(topics.completions(), source("completions-source")),
            "completion", TopologyMetrics.Input.COMPLETION, Quarantine.Input.COMPLETIONS, DecodeProcessor.completion(topics),
            metrics, unreadable);

        // In the input's sub-topology, so each quarantined copy commits with its input offset (exactly once).
        unreadable.get(0)
            .merge(unreadable.get(1), Named.as("merge-quarantine-control"))
            .merge(unreadable.get(2), Named.as("merge-quarantine-completions"))
            .to(topics.quarantine(), Produced.with(RAW, RAW).withName("quarantine-sink"));

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

    /** Keys too are read as bytes: nothing needs them, and a quarantined copy keeps them exactly. */
    private static Consumed<byte[], byte[]> source(String name) {
        return Consumed.with(RAW, RAW).withName(name);
    }

    /**
     * {@code <name>-decode}, then its readable events; with a {@code quarantine} input, the unreadable
     * records as (original key, original value) are added to {@code unreadable}.
     */
    private static KStream<String, NodeEvent> decode(KStream<byte[], byte[]> in, String name, TopologyMetrics.Input input,
        Quarantine.Input quarantine, DecodeProcessor.Decoder decoder, TopologyMetrics metrics,
        List<KStream<byte[], byte[]>> unreadable) {
        BranchedKStream<String, Decoded> split = in
            .process(() -> new DecodeProcessor(input, quarantine, decoder, metrics), Named.as(name + "-decode"))
            .split(Named.as(name + "-"))
            .branch((k, v) -> v instanceof Decoded.Event, Branched.as("readable"));
        Map<String, KStream<String, Decoded>> branches = quarantine == null
            ? split.noDefaultBranch()
            : split.defaultBranch(Branched.as("unreadable"));
        if (quarantine != null) {
            unreadable.add(branches.get(name + "-unreadable").map((k, v) -> {
                Decoded.Unreadable u = (Decoded.Unreadable) v;
                return KeyValue.pair(u.key(), u.value());
            }, Named.as(name + "-quarantine")));
        }
        return branches.get(name + "-readable").mapValues(v -> ((Decoded.Event) v).event(), Named.as(name + "-event"));
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
