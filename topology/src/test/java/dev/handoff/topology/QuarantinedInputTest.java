package dev.handoff.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.protocol.Completion;
import dev.handoff.protocol.ControlCommand;
import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.Health;
import dev.handoff.protocol.NodeStatus;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.common.HandoffHeaders;
import dev.handoff.protocol.json.Codecs;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Unreadable health, control and completion records are written to {@code handoff.quarantine} with their
 * original key and value bytes and headers naming input, reason and position; the stream goes on.
 */
class QuarantinedInputTest extends DriverTestSupport {
    private static final String NODE = "datanode-1:17912";
    private static final byte[] GARBAGE = "{not json".getBytes(StandardCharsets.UTF_8);
    /** Not UTF-8, with a NUL: a key read as a String would not come back byte for byte. */
    private static final byte[] ODD_KEY = {(byte) 0xff, 0x00, 'k'};

    /** Input label, its topic, its metric tag, the valid record that follows, what that record changes. */
    record Case(String input, String topic, String metric, Consumer<TopologyFixture> next, Consumer<NodeStatus> applied) {
        @Override
        public String toString() {
            return input;
        }
    }

    static Stream<Arguments> inputs() {
        return Stream.of(
            Arguments.of(new Case("health", "handoff.health", "health", fx -> fx.health(NODE, Health.DOWN, 2_000),
                s -> assertThat(s.health()).isEqualTo(Health.DOWN))),
            Arguments.of(new Case("control", "handoff.control", "control",
                fx -> fx.control(NODE, ControlCommand.Action.PAUSE, 2_000), s -> assertThat(s.paused()).isTrue())),
            Arguments.of(new Case("completions", "handoff.completions", "completion",
                fx -> fx.complete(pendingRecord(), 0, Completion.Outcome.DELIVERED),
                s -> assertThat(s.pendingParts()).isZero())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inputs")
    void shouldQuarantineAnUnreadableRecordWithItsBytesAndHeadersAndApplyTheNextRecordWhenAnInputIsGarbage(Case c) {
        // Given a node with one pending record, and a record on the input that is not JSON, with a header of its own
        assertThat(fx.enqueue(pendingRecord())).isZero();
        fx.statuses();
        Headers own = new RecordHeaders();
        HandoffHeaders.put(own, "trace", "t-1");
        long offset = fx.pipe(c.topic(), ODD_KEY, GARBAGE, own);

        // When a valid record follows on the same input
        c.next().accept(fx);

        // Then the unreadable record is quarantined once, byte for byte, saying where from and why
        List<TestRecord<byte[], byte[]>> quarantined = fx.quarantined();
        assertThat(quarantined).hasSize(1);
        TestRecord<byte[], byte[]> q = quarantined.get(0);
        assertThat(q.key()).isEqualTo(ODD_KEY);
        assertThat(q.value()).isEqualTo(GARBAGE);
        assertThat(header(q, HandoffHeaders.INPUT)).isEqualTo(c.input());
        assertThat(header(q, HandoffHeaders.REASON)).isEqualTo(HandoffHeaders.INVALID_RECORD);
        assertThat(header(q, HandoffHeaders.ERROR)).contains("not JSON");
        assertThat(header(q, HandoffHeaders.TOPIC)).isEqualTo(c.topic());
        assertThat(header(q, HandoffHeaders.PARTITION)).isEqualTo("0");
        assertThat(header(q, HandoffHeaders.OFFSET)).isEqualTo(Long.toString(offset));
        assertThat(header(q, "trace")).isEqualTo("t-1");
        // And it is still counted, and the valid record after it applied
        assertThat(fx.counter("handoff.topology.unreadable", "reason", c.metric())).isEqualTo(1);
        c.applied().accept(fx.latest(NODE));
    }

    @Test
    void shouldQuarantineANullValueAsANullValueWhenAHealthRecordHasNone() {
        // Given a health record without a value
        fx.pipe("handoff.health", NODE, null);

        // When it is read / Then its copy has the key, no value, and the reason
        TestRecord<byte[], byte[]> q = fx.quarantined().get(0);
        assertThat(q.key()).isEqualTo(NODE.getBytes(StandardCharsets.UTF_8));
        assertThat(q.value()).isNull();
        assertThat(header(q, HandoffHeaders.ERROR)).contains("no value");
    }

    @Test
    void shouldQuarantineACompletionWhenItNamesATopicOutsideThePrefix() {
        // Given a well-formed completion whose topic is not a node topic of this prefix
        Completion c = new Completion(NODE, new PartKey("liaison-1", "group-a", 1, 1), Completion.Outcome.DELIVERED,
            "replayer-1", 1, "other.node.x", 0, 0, 1_000);
        byte[] value = Codecs.COMPLETION.encode(c);

        // When it is read
        fx.pipe("handoff.completions", NODE, value);

        // Then its copy names the rule it broke
        TestRecord<byte[], byte[]> q = fx.quarantined().get(0);
        assertThat(q.value()).isEqualTo(value);
        assertThat(header(q, HandoffHeaders.INPUT)).isEqualTo("completions");
        assertThat(header(q, HandoffHeaders.ERROR)).contains("other.node.x").contains("is not a node topic");
    }

    @Test
    void shouldNotQuarantineWhenANodeTopicRecordIsUnreadable() {
        // Given garbage on a node topic (the replayer parks it in handoff.parked)
        fx.pipe(TopologyFixture.TOPICS.node(NODE), "group-a/1", GARBAGE);

        // When a valid enqueue record follows
        fx.enqueue(pendingRecord());

        // Then the garbage is counted, not quarantined, and the valid record is pending
        assertThat(fx.counter("handoff.topology.unreadable", "reason", "enqueue")).isEqualTo(1);
        assertThat(fx.quarantined()).isEmpty();
        assertThat(fx.latest(NODE).pendingParts()).isEqualTo(1);
    }

    private static EnqueueRecord pendingRecord() {
        return TopologyFixture.record(NODE, List.of(NODE), 1, 100, 1_000);
    }

    private static String header(TestRecord<byte[], byte[]> r, String name) {
        return HandoffHeaders.text(r.headers(), name);
    }
}
