package dev.handoff.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.protocol.Completion;
import dev.handoff.protocol.ControlCommand;
import dev.handoff.protocol.Health;
import dev.handoff.protocol.HealthEvent;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.json.Codecs;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each hostile value of the list on health, control and completions is counted under its input
 * and quarantined byte for byte; a valid record right after it on the same input still applies.
 */
class HostileInputTest extends DriverTestSupport {
    private static final String NODE = "datanode-1:17912";
    private static final String HEALTH = new String(Codecs.HEALTH.encode(
        new HealthEvent(NODE, Health.DOWN, "monitor-1", 1_000)), StandardCharsets.UTF_8);
    private static final String CONTROL = new String(Codecs.CONTROL.encode(
        new ControlCommand(NODE, ControlCommand.Action.PAUSE, "ops", 1_000)), StandardCharsets.UTF_8);
    private static final String COMPLETION = new String(Codecs.COMPLETION.encode(
        new Completion(NODE, new PartKey("liaison-1", "group-a", 1, 1), Completion.Outcome.DELIVERED, "r1", 1,
            TopologyFixture.TOPICS.node(NODE), 0, 0, 1_000)), StandardCharsets.UTF_8);

    static Stream<Arguments> hostile() {
        return Stream.of(
            Arguments.of("health", "bad JSON", "{\"v\":1,"),
            Arguments.of("health", "unknown v", HEALTH.replace("\"v\":1", "\"v\":7")),
            Arguments.of("health", "missing field", edit(HEALTH, s -> s.replace("\"observer\":\"monitor-1\",", ""))),
            Arguments.of("health", "node not host:port", edit(HEALTH, s -> s.replace(NODE, "../x"))),
            Arguments.of("control", "missing field", edit(CONTROL, s -> s.replace("\"action\":\"PAUSE\",", ""))),
            Arguments.of("control", "node with NUL", edit(CONTROL, s -> s.replace(NODE, "datanode\\u0000:17912"))),
            Arguments.of("control", "unknown action", edit(CONTROL, s -> s.replace("PAUSE", "DELETE_ALL"))),
            Arguments.of("completion", "unknown v", edit(COMPLETION, s -> s.replace("\"v\":1", "\"v\":2"))),
            Arguments.of("completion", "partId not 16 hex digits",
                edit(COMPLETION, s -> s.replaceFirst("\"partId\":\"[0-9a-f]{16}\"", "\"partId\":\"zz\""))),
            Arguments.of("completion", "group with ../", edit(COMPLETION, s -> s.replace("\"group-a\"", "\"../group\""))),
            Arguments.of("completion", "liaison of 129 characters",
                edit(COMPLETION, s -> s.replace("\"liaison-1\"", "\"" + "l".repeat(129) + "\""))),
            Arguments.of("completion", "group with /", edit(COMPLETION, s -> s.replace("\"group-a\"", "\"a/b\""))));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("hostile")
    void shouldCountAndQuarantineAHostileValueAndApplyTheNextRecord(String input, String kind, String value) {
        // Given a hostile value on one input
        String topic = switch (input) {
            case "health" -> TopologyFixture.TOPICS.health();
            case "control" -> TopologyFixture.TOPICS.control();
            default -> TopologyFixture.TOPICS.completions();
        };
        fx.pipe(topic, NODE, value.getBytes(StandardCharsets.UTF_8));

        // When a valid health event follows
        fx.health(NODE, Health.DOWN, 2_000);

        // Then the hostile value was counted under its input, quarantined unchanged, and the stream kept going
        assertThat(fx.counter("handoff.topology.unreadable", "reason", input)).isEqualTo(1);
        assertThat(fx.quarantined()).singleElement()
            .satisfies(q -> assertThat(q.value()).isEqualTo(value.getBytes(StandardCharsets.UTF_8)));
        var status = fx.latest(NODE);
        assertThat(status.health()).isEqualTo(Health.DOWN);
        assertThat(status.paused()).isFalse();
    }

    private static String edit(String json, UnaryOperator<String> change) {
        String edited = change.apply(json);
        if (edited.equals(json)) {
            throw new IllegalStateException("the edit changed nothing in " + json);
        }
        return edited;
    }
}
