package dev.handoff.topology;

import dev.handoff.protocol.Completion;
import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.InvalidRecordException;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.common.Quarantine;
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
 * Reads one input's raw bytes into a {@link NodeEvent} keyed by node. A record that cannot be read is
 * counted, logged once with its topic/partition/offset and reason, and forwarded as {@link Decoded.Unreadable}
 * with its quarantine headers so the topology writes it to the quarantine topic in the same transaction
 * as its input offset; the stream goes on. Node-topic records are the exception: the replayer parks
 * unreadable ones, so here they are only counted and skipped (never pending). Confined to its stream
 * thread, like every processor.
 */
final class DecodeProcessor implements Processor<byte[], byte[], String, Decoded> {
    private static final Logger LOGGER = LoggerFactory.getLogger(DecodeProcessor.class);

    /** Turns one input record into an event; throws when the bytes are not a valid record. */
    @FunctionalInterface
    interface Decoder {
        NodeEvent decode(Position position, byte[] value) throws InvalidRecordException;
    }

    private final TopologyMetrics.Input input;
    private final Quarantine.Input quarantine;
    private final Decoder decoder;
    private final TopologyMetrics metrics;
    private ProcessorContext<String, Decoded> context;

    /**
     * @param quarantine the input label of the quarantined copies, or null to count and skip unreadable
     *     records (node topics, whose unreadable records the replayer parks)
     */
    DecodeProcessor(TopologyMetrics.Input input, Quarantine.Input quarantine, Decoder decoder, TopologyMetrics metrics) {
        this.input = input;
        this.quarantine = quarantine;
        this.decoder = decoder;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Decoded> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
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
                .addKeyValue("reason", e.reason())
                .log(quarantine == null ? "skipping an unreadable input record" : "quarantining an unreadable input record");
            if (quarantine != null) {
                context.forward(record.<String>withKey(null)
                    .withValue((Decoded) new Decoded.Unreadable(record.key(), record.value()))
                    .withHeaders(Quarantine.headers(record.headers(), quarantine, position.topic(), position.partition(),
                        position.offset(), e.reason())));
            }
            return;
        }
        context.forward(record.withKey(event.node()).withValue((Decoded) new Decoded.Event(event)));
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
