package dev.handoff.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.protocol.Completion;
import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.Health;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.common.HandoffHeaders;
import dev.handoff.protocol.json.Codecs;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnreadableInputTest extends DriverTestSupport {
    private static final String NODE = "datanode-1:17912";
    private static final byte[] GARBAGE = "{not json".getBytes(StandardCharsets.UTF_8);

    @Test
    void shouldCountUnreadableRecordsOnEveryInputAndQuarantineAllButNodeTopicOnesAndKeepGoing() {
        // Given garbage, a null value, a wrong version and a broken rule on each input
        String nodeTopic = TopologyFixture.TOPICS.node(NODE);
        fx.pipe("handoff.health", NODE, GARBAGE);
        fx.pipe("handoff.health", NODE, null);
        fx.pipe("handoff.control", NODE, "{\"v\":2,\"node\":\"datanode-1:17912\"}".getBytes(StandardCharsets.UTF_8));
        fx.pipe(nodeTopic, "group-a/1", GARBAGE);
        fx.pipe("handoff.completions", NODE, "{\"v\":1,\"node\":\"bad node\"}".getBytes(StandardCharsets.UTF_8));

        // When valid records follow on the same inputs
        fx.health(NODE, Health.DOWN, 1_000);
        EnqueueRecord r = TopologyFixture.record(NODE, List.of(NODE), 1, 100, 1_000);
        long off = fx.enqueue(r);

        // Then each unreadable record was counted under its input, health/control/completions ones quarantined
        // in the order read; the valid ones applied
        assertThat(fx.counter("handoff.topology.unreadable", "reason", "health")).isEqualTo(2);
        assertThat(fx.counter("handoff.topology.unreadable", "reason", "control")).isEqualTo(1);
        assertThat(fx.counter("handoff.topology.unreadable", "reason", "enqueue")).isEqualTo(1);
        assertThat(fx.counter("handoff.topology.unreadable", "reason", "completion")).isEqualTo(1);
        assertThat(fx.quarantined()).extracting(q -> HandoffHeaders.text(q.headers(), HandoffHeaders.INPUT))
            .containsExactly("health", "health", "control", "completions");
        var s = fx.latest(NODE);
        assertThat(s.health()).isEqualTo(Health.DOWN);
        assertThat(s.pendingParts()).isEqualTo(1);
        assertThat(off).isEqualTo(1);
    }

    @Test
    void shouldNotCountACompletionThatNamesATopicOutsideThePrefixAsAStatusChange() {
        // Given a well-formed completion whose topic is not a node topic of this prefix
        Completion c = new Completion(NODE, new PartKey("liaison-1", "group-a", 1, 1), Completion.Outcome.DELIVERED,
            "replayer-1", 1, "other.node.x", 0, 0, 1_000);

        // When it is read
        fx.pipe("handoff.completions", NODE, Codecs.COMPLETION.encode(c));

        // Then it is counted as unreadable and nothing is emitted
        assertThat(fx.counter("handoff.topology.unreadable", "reason", "completion")).isEqualTo(1);
        assertThat(fx.statuses()).isEmpty();
    }
}
