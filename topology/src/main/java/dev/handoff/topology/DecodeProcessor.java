package dev.handoff.topology;

import dev.handoff.protocol.Completion;
import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.InvalidRecordException;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.json.Codecs;
import dev.handoff.topology.state.Enqueued;
import dev.handoff.topology.state.NodeEvent;
import dev.handoff.topology.state.Position;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one input's raw bytes into a {@link NodeEvent} keyed by node. A record that cannot be read
 * is counted, logged once with its topic/partition/offset and reason, and skipped: the stream goes
 * on (the replayer parks unreadable node-topic records; here they simply are not pending).
 * Confined to its stream thread, like every processor.
 */
final class DecodeProcessor implements Processor<String, byte[], String, NodeEvent> {
    private static final Logger LOGGER = LoggerFactory.getLogger(DecodeProcessor.class);

    /** Turns one input record into an event; throws when the bytes are not a valid record. */
    @FunctionalInterface
    interface Decoder {
        NodeEvent decode(Position position, byte[] value) throws InvalidRecordException;
    }

    private final TopologyMetrics.Input input;
    private final Decoder decoder;
    private final TopologyMetrics metrics;
    private ProcessorContext<String, NodeEvent> context;

    DecodeProcessor(TopologyMetrics.Input input, Decoder decoder, TopologyMetrics metrics) {
        this.input = input;
        this.decoder = decoder;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, NodeEvent> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, byte[]> record) {
        Position position = context.recordMetadata()
            .map(m -> new Position(m.topic(), m.partition(), m.offset()))
            .orElseThrow(() -> new IllegalStateException("an input record without topic/partition/offset"));
        NodeEvent event;
        try {
            event = decoder.decode(position, record.value());
        } catch (InvalidRecordException e) {
            metrics.unreadable(input);
            LOGGER.atWarn().addKeyValue("input", input).addKeyValue("topic", position.topic())
                .addKeyValue("partition", position.partition()).addKeyValue("offset", position.offset())
                .addKeyValue("reason", e.reason()).log("skipping an unreadable input record");
            return;
        }
        context.forward(record.withKey(event.node()).withValue(event));
    }

    static Decoder health() {
        return (position, value) -> NodeEvent.of(Codecs.HEALTH.decode(value));
    }

    static Decoder control() {
        return (position, value) -> NodeEvent.of(Codecs.CONTROL.decode(value));
    }

    /** Enqueue records count against the node of the topic they were read from: that is the lag they add to. */
    static Decoder enqueue(Topics topics) {
        return (position, value) -> {
            EnqueueRecord record = Codecs.ENQUEUE.decode(value);
            String topicNode = topics.nodeOf(position.topic()).orElseThrow(() -> new InvalidRecordException(
                "topic " + position.topic() + " is not a node topic of prefix " + topics.prefix(), value, null));
            return NodeEvent.of(topicNode, Enqueued.of(position.topic(), position.partition(), position.offset(), record));
        };
    }

    /** Completions count against the node of the topic their record was read from. */
    static Decoder completion(Topics topics) {
        return (position, value) -> {
            Completion c = Codecs.COMPLETION.decode(value);
            String topicNode = topics.nodeOf(c.topic()).orElseThrow(() -> new InvalidRecordException(
                "Completion: field topic: " + c.topic() + " is not a node topic of prefix " + topics.prefix(), value, null));
            return NodeEvent.of(topicNode, c);
        };
    }
}
