package dev.handoff.topology;

import dev.handoff.protocol.Completion;
import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.InvalidRecordException;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.common.HandoffHeaders;
import dev.handoff.protocol.common.Quarantine;
import dev.handoff.protocol.json.Codecs;
import dev.handoff.topology.state.Enqueued;
import dev.handoff.topology.state.NodeEvent;
import dev.handoff.topology.state.Position;
import org.apache.kafka.common.header.Headers;
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
        /**
         * @param position where the record was read
         * @param headers the record's headers
         */
        NodeEvent decode(Position position, Headers headers, byte[] value) throws InvalidRecordException;
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
            event = decoder.decode(position, record.headers(), record.value());
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
        return (position, headers, value) -> NodeEvent.of(Codecs.HEALTH.decode(value));
    }

    static Decoder control() {
        return (position, headers, value) -> NodeEvent.of(Codecs.CONTROL.decode(value));
    }

    /**
     * Enqueue records, read from the relay's copies ({@code <prefix>.enqueued}), count against the node of the
     * node topic the relay copied them from (the source headers): that is the lag they add to.
     */
    static Decoder enqueue(Topics topics) {
        return (position, headers, value) -> {
            EnqueueRecord record = Codecs.ENQUEUE.decode(value);
            Position source = source(headers, value);
            String topicNode = topics.nodeOf(source.topic()).orElseThrow(() -> new InvalidRecordException(
                "topic " + source.topic() + " is not a node topic of prefix " + topics.prefix(), value, null));
            return NodeEvent.of(topicNode, Enqueued.of(source.topic(), source.partition(), source.offset(), record));
        };
    }

    /** The node-topic position a relayed copy was made from. */
    private static Position source(Headers headers, byte[] value) throws InvalidRecordException {
        String topic = HandoffHeaders.text(headers, HandoffHeaders.TOPIC);
        String partition = HandoffHeaders.text(headers, HandoffHeaders.PARTITION);
        String offset = HandoffHeaders.text(headers, HandoffHeaders.OFFSET);
        if (topic == null || partition == null || offset == null) {
            throw new InvalidRecordException("a relayed enqueue record without its source headers " + HandoffHeaders.TOPIC
                + ", " + HandoffHeaders.PARTITION + " and " + HandoffHeaders.OFFSET, value, null);
        }
        try {
            return new Position(topic, Integer.parseInt(partition), Long.parseLong(offset));
        } catch (IllegalArgumentException e) {
            throw new InvalidRecordException("a relayed enqueue record whose source headers are not a position: "
                + topic + "/" + partition + "/" + offset, value, e);
        }
    }

    /** Completions count against the node of the topic their record was read from. */
    static Decoder completion(Topics topics) {
        return (position, headers, value) -> {
            Completion c = Codecs.COMPLETION.decode(value);
            String topicNode = topics.nodeOf(c.topic()).orElseThrow(() -> new InvalidRecordException(
                "Completion: field topic: " + c.topic() + " is not a node topic of prefix " + topics.prefix(), value, null));
            return NodeEvent.of(topicNode, c);
        };
    }
}
