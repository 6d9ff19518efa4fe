package dev.handoff.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.protocol.ControlCommand;
import dev.handoff.protocol.ControlCommand.Action;
import dev.handoff.protocol.Health;
import dev.handoff.protocol.NodeStatus;
import dev.handoff.protocol.Throttle;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeHealthAndControlTest extends DriverTestSupport {
    private static final String NODE = "datanode-1:17912";

    @Test
    void shouldReportUnknownHealthBeforeAnyHealthEvent() {
        // Given a node nothing but a command is known about
        // When it is paused
        fx.control(NODE, Action.PAUSE, 1_000);

        // Then its status says UNKNOWN health, no truncation, nothing pending
        assertThat(fx.latest(NODE))
            .extracting(NodeStatus::health, NodeStatus::paused, NodeStatus::truncateBefore, NodeStatus::pendingParts,
                NodeStatus::oldestEnqueuedAt)
            .containsExactly(Health.UNKNOWN, true, null, 0L, null);
    }

    @Test
    void shouldFollowHealthTransitions() {
        // Given / When a node goes UP, DOWN and UP again
        fx.health(NODE, Health.UP, 1_000);
        fx.health(NODE, Health.DOWN, 2_000);
        fx.health(NODE, Health.UP, 3_000);

        // Then one status per transition, in order
        assertThat(fx.statuses()).extracting(NodeStatus::health).containsExactly(Health.UP, Health.DOWN, Health.UP);
    }

    @Test
    void shouldIgnoreHealthEventOlderThanTheLatest() {
        // Given a node seen DOWN at t=2000
        fx.health(NODE, Health.DOWN, 2_000);
        fx.statuses();

        // When an UP observed earlier (t=1000) arrives late
        fx.health(NODE, Health.UP, 1_000);

        // Then nothing changes: the latest event by time wins
        assertThat(fx.statuses()).isEmpty();
        // And a newer event still applies
        fx.health(NODE, Health.UP, 2_500);
        assertThat(fx.latest(NODE).health()).isEqualTo(Health.UP);
    }

    @Test
    void shouldNotEmitWhenNothingChanged() {
        // Given a node that is UP
        fx.health(NODE, Health.UP, 1_000);
        fx.statuses();

        // When heartbeats repeat UP and a RESUME arrives for a node that is not paused
        fx.health(NODE, Health.UP, 2_000);
        fx.health(NODE, Health.UP, 3_000);
        fx.control(NODE, Action.RESUME, 3_500);

        // Then no status is emitted
        assertThat(fx.statuses()).isEmpty();
        // And the heartbeats still moved the event time: an event between them is now stale
        fx.health(NODE, Health.DOWN, 2_500);
        assertThat(fx.statuses()).isEmpty();
    }

    @Test
    void shouldPauseAndResume() {
        // Given an UP node
        fx.health(NODE, Health.UP, 1_000);

        // When an operator pauses and resumes it
        fx.control(NODE, Action.PAUSE, 2_000);
        fx.control(NODE, Action.RESUME, 3_000);

        // Then paused goes true then false, health untouched
        List<NodeStatus> statuses = fx.statuses();
        assertThat(statuses).extracting(NodeStatus::paused).containsExactly(false, true, false);
        assertThat(statuses).extracting(NodeStatus::health).containsOnly(Health.UP);
        assertThat(statuses.get(1).deliverable()).isFalse();
    }

    @Test
    void shouldSetTruncateBeforeToTheCommandTimeAndNeverMoveItBack() {
        // Given / When a TRUNCATE at t=5000
        fx.control(NODE, Action.TRUNCATE, 5_000);

        // Then truncateBefore is the command's time
        assertThat(fx.latest(NODE).truncateBefore()).isEqualTo(5_000L);

        // When an older TRUNCATE arrives, then it stays; a newer one moves it forward
        fx.control(NODE, Action.TRUNCATE, 4_000);
        assertThat(fx.statuses()).isEmpty();
        fx.control(NODE, Action.TRUNCATE, 9_000);
        assertThat(fx.latest(NODE).truncateBefore()).isEqualTo(9_000L);
    }

    @Test
    void shouldStampUpdatedAtWithTheTimeOfTheChange() {
        // Given the wall clock at START
        fx.health(NODE, Health.UP, 1_000);
        assertThat(fx.latest(NODE).updatedAt()).isEqualTo(TopologyFixture.START.toEpochMilli());

        // When a minute later the node goes down
        fx.advance(Duration.ofMinutes(1));
        fx.health(NODE, Health.DOWN, 2_000);

        // Then updatedAt is the time of that change
        assertThat(fx.latest(NODE).updatedAt()).isEqualTo(TopologyFixture.START.plusSeconds(60).toEpochMilli());
    }

    @Test
    void shouldKeepNodesApart() {
        // Given / When two nodes with different events
        fx.health(NODE, Health.DOWN, 1_000);
        fx.control("datanode-2:17912", Action.PAUSE, 1_000);

        // Then each status carries only its own node's events
        var latest = fx.status.readKeyValuesToMap();
        assertThat(latest.get(NODE).health()).isEqualTo(Health.DOWN);
        assertThat(latest.get(NODE).paused()).isFalse();
        assertThat(latest.get("datanode-2:17912").health()).isEqualTo(Health.UNKNOWN);
        assertThat(latest.get("datanode-2:17912").paused()).isTrue();
    }

    @Test
    void shouldShowTheLiveThrottleUntilItIsCleared() {
        // Given a paused node with a pending truncation time
        fx.control(NODE, Action.PAUSE, 1_000);
        fx.control(NODE, Action.TRUNCATE, 2_000);
        fx.statuses();

        // When an operator throttles it, then replaces the throttle
        fx.control(new ControlCommand(NODE, Action.THROTTLE, "operator", 3_000, new Throttle(5L, null)));
        fx.control(new ControlCommand(NODE, Action.THROTTLE, "operator", 4_000, new Throttle(null, 1_000_000L)));

        // Then each throttle is shown in turn, and nothing else of the status changed
        List<NodeStatus> throttled = fx.statuses();
        assertThat(throttled).extracting(NodeStatus::throttle)
            .containsExactly(new Throttle(5L, null), new Throttle(null, 1_000_000L));
        assertThat(throttled).allSatisfy(s -> {
            assertThat(s.paused()).isTrue();
            assertThat(s.truncateBefore()).isEqualTo(2_000L);
        });

        // When the throttle is cleared, and the node resumed
        fx.control(NODE, Action.CLEAR_THROTTLE, 5_000);
        fx.control(NODE, Action.RESUME, 6_000);

        // Then no throttle is in force, and a later command keeps it that way
        assertThat(fx.statuses()).extracting(NodeStatus::throttle).containsOnlyNulls().hasSize(2);
    }

    @Test
    void shouldKeepTheThrottleThroughHealthAndPendingChanges() {
        // Given a throttled node
        fx.control(new ControlCommand(NODE, Action.THROTTLE, "operator", 1_000, new Throttle(2L, 0L)));

        // When its health changes
        fx.health(NODE, Health.DOWN, 2_000);
        fx.health(NODE, Health.UP, 3_000);

        // Then every status still carries the throttle
        assertThat(fx.statuses()).extracting(NodeStatus::throttle).containsOnly(new Throttle(2L, 0L)).hasSize(3);
    }
}
