package dev.handoff.topology;

import dev.handoff.protocol.Completion;
import dev.handoff.protocol.ControlCommand;
import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.FileEntry;
import dev.handoff.protocol.Health;
import dev.handoff.protocol.HealthEvent;
import dev.handoff.protocol.NodeStatus;
import dev.handoff.protocol.PartTypeEntry;
import dev.handoff.protocol.Release;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.common.HandoffHeaders;
import dev.handoff.protocol.json.Codecs;
import dev.handoff.protocol.json.JsonSerde;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/** A {@link TopologyTestDriver} over {@link HandoffTopology} with helpers that speak the contract's records. */
final class TopologyFixture implements AutoCloseable {
    static final Topics TOPICS = Topics.defaults();
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    static final String LIAISON = "liaison-1";

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final TopologyTestDriver driver;
    final TestOutputTopic<String, NodeStatus> status;
    final TestOutputTopic<String, Release> released;
    final TestOutputTopic<byte[], byte[]> quarantine;
    private final TestInputTopic<byte[], byte[]> health;
    private final TestInputTopic<byte[], byte[]> control;
    private final TestInputTopic<byte[], byte[]> completions;
    private final TestInputTopic<byte[], byte[]> enqueued;
    private final Map<String, Long> nextOffset = new HashMap<>();
    /** The offset each enqueue record got when it was last written to its node topic. */
    private final Map<EnqueueRecord, Long> offsets = new HashMap<>();

    TopologyFixture(Path stateDir) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        StreamsBuilder builder = HandoffTopology.build(new StreamsBuilder(), TOPICS, 2, TopologyMetrics.micrometer(registry));
        driver = new TopologyTestDriver(builder.build(), props, START);
        health = input(TOPICS.health());
        control = input(TOPICS.control());
        completions = input(TOPICS.completions());
        enqueued = input(TOPICS.enqueued());
        status = driver.createOutputTopic(TOPICS.nodeStatus(), new StringDeserializer(), JsonSerde.of(NodeStatus.class));
        released = driver.createOutputTopic(TOPICS.released(), new StringDeserializer(), JsonSerde.of(Release.class));
        quarantine = driver.createOutputTopic(TOPICS.quarantine(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    static EnqueueRecord record(String node, List<String> targets, long partId, long bytes, long enqueuedAt) {
        PartTypeEntry core = new PartTypeEntry("core", List.of(new FileEntry("data.bin", bytes, 7)), null);
        return new EnqueueRecord(node, targets, LIAISON, "liaison-1:9100", "group-a", 1, partId, List.of(core), bytes,
            enqueuedAt, null);
    }

    /** Writes the record to its node's topic and returns the offset it got. */
    long enqueue(EnqueueRecord r) {
        long offset = pipe(TOPICS.node(r.node()), r.part().groupShard(), Codecs.ENQUEUE.encode(r));
        offsets.put(r, offset);
        return offset;
    }

    /** The offset {@code r} got when {@link #enqueue} last wrote it. */
    long offsetOf(EnqueueRecord r) {
        Long offset = offsets.get(r);
        if (offset == null) {
            throw new IllegalStateException("never enqueued: " + r.node() + " " + r.part());
        }
        return offset;
    }

    /** Completes {@code r} at the offset {@link #enqueue} gave it. */
    void complete(EnqueueRecord r, Completion.Outcome outcome) {
        complete(r, offsetOf(r), outcome);
    }

    void complete(EnqueueRecord r, long offset, Completion.Outcome outcome) {
        Completion c = new Completion(r.node(), r.part(), outcome, "replayer-1", 1, TOPICS.node(r.node()), 0, offset,
            r.enqueuedAt() + 1);
        pipe(TOPICS.completions(), r.node(), Codecs.COMPLETION.encode(c));
    }

    /** As {@link #retarget(EnqueueRecord, long, String)} at the offset {@link #enqueue} gave {@code r}. */
    EnqueueRecord retarget(EnqueueRecord r, String to) {
        return retarget(r, offsetOf(r), to);
    }

    /** The replayer's RETARGETED completion of {@code r}: moved to {@code to}, whose copy gets the returned record. */
    EnqueueRecord retarget(EnqueueRecord r, long offset, String to) {
        Completion c = new Completion(r.node(), r.part(), Completion.Outcome.RETARGETED, "replayer-1", 0,
            TOPICS.node(r.node()), 0, offset, r.enqueuedAt() + 1, to);
        pipe(TOPICS.completions(), r.node(), Codecs.COMPLETION.encode(c));
        return r.retargeted(to);
    }

    void health(String node, Health h, long at) {
        pipe(TOPICS.health(), node, Codecs.HEALTH.encode(new HealthEvent(node, h, "monitor-1", at)));
    }

    void control(ControlCommand command) {
        pipe(TOPICS.control(), command.node(), Codecs.CONTROL.encode(command));
    }

    void control(String node, ControlCommand.Action action, long at) {
        pipe(TOPICS.control(), node, Codecs.CONTROL.encode(new ControlCommand(node, action, "operator", at)));
    }

    /**
     * Writes raw bytes to a topic and returns the offset they got; a node topic's record is piped as the relay
     * copies it (to {@code handoff.enqueued}, with the node topic, partition 0 and the offset in headers).
     */
    long pipe(String topic, String key, byte[] value) {
        return pipe(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value, new RecordHeaders());
    }

    /** Writes a raw key, value and headers to a topic and returns the offset they got. */
    long pipe(String topic, byte[] key, byte[] value, Headers headers) {
        long offset = nextOffset.merge(topic, 1L, Long::sum) - 1;
        TestInputTopic<byte[], byte[]> in = switch (topic) {
            case "handoff.health" -> health;
            case "handoff.control" -> control;
            case "handoff.completions" -> completions;
            default -> null;
        };
        if (in == null) {
            // A node-topic record reaches the topology as the enqueue relay's copy, with its source position.
            RecordHeaders copied = new RecordHeaders(headers.toArray());
            HandoffHeaders.putSource(copied, topic, 0, offset);
            enqueued.pipeInput(new TestRecord<>(topic.getBytes(StandardCharsets.UTF_8), value, copied));
        } else {
            in.pipeInput(new TestRecord<>(key, value, headers));
        }
        return offset;
    }

    void advance(Duration d) {
        driver.advanceWallClockTime(d);
    }

    /** Every status emitted since the last call, oldest first. */
    List<NodeStatus> statuses() {
        return status.readValuesToList();
    }

    /** The latest status of each node among those emitted since the last read (reads them all). */
    java.util.Map<String, NodeStatus> latestByNode() {
        return status.readKeyValuesToMap();
    }

    /** The latest status of the node among those emitted since the last read (reads them all). */
    NodeStatus latest(String node) {
        return status.readKeyValuesToMap().get(node);
    }

    double counter(String name, String tag, String value) {
        var c = registry.find(name).tag(tag, value).counter();
        return c == null ? 0 : c.count();
    }

    /** Every record written to the quarantine topic since the last call, oldest first. */
    List<TestRecord<byte[], byte[]>> quarantined() {
        return quarantine.readRecordsToList();
    }

    private TestInputTopic<byte[], byte[]> input(String topic) {
        return driver.createInputTopic(topic, new ByteArraySerializer(), new ByteArraySerializer(), START, Duration.ofMillis(1));
    }

    @Override
    public void close() {
        driver.close();
    }
}
