package dev.handoff.topology;

import static dev.handoff.protocol.Completion.Outcome.DELIVERED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.protocol.ControlCommand;
import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.NodeStatus;
import dev.handoff.protocol.Release;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code handoff retarget OLD NEW} in the topology: OLD's status names NEW, and releases wait for NEW. */
class RetargetTest extends DriverTestSupport {
    private static final String A = "datanode-1:17912";
    private static final String OLD = "datanode-2:17912";
    private static final String NEW = "datanode-3:17912";

    /** Bundle {@code partId} for A and OLD, delivered to A; returns OLD's record, enqueued and pending. */
    private EnqueueRecord deliveredToAOnly(long partId) {
        EnqueueRecord ra = TopologyFixture.record(A, List.of(A, OLD), partId, 100, 1_000);
        EnqueueRecord rold = ra.forNode(OLD);
        fx.enqueue(ra);
        fx.enqueue(rold);
        fx.complete(ra, DELIVERED);
        return rold;
    }

    @Test
    void shouldShowTheReplacementInTheStatusUntilCleared() {
        // When OLD is retargeted to NEW
        fx.control(ControlCommand.retarget(OLD, NEW, "operator", 1_000));
        // Then OLD's status names NEW, and OLD is not deliverable
        NodeStatus s = fx.latest(OLD);
        assertThat(s.retargetTo()).isEqualTo(NEW);
        assertThat(s.deliverable()).isFalse();
        // When the retarget is cleared, it is gone
        fx.control(OLD, ControlCommand.Action.CLEAR_RETARGET, 2_000);
        assertThat(fx.latest(OLD).retargetTo()).isNull();
    }

    @Test
    void shouldReleaseAMovedBundleOnlyOnceTheReplacementCompletedIt() {
        // Given a bundle for A and OLD, delivered to A, and OLD retargeted to NEW
        EnqueueRecord rold = deliveredToAOnly(42);

        // When the replayer completes OLD's record RETARGETED and enqueues the copy for NEW
        EnqueueRecord copy = fx.retarget(rold, NEW);
        fx.enqueue(copy);

        // Then nothing is released (NEW has not completed), OLD is drained and NEW has the bundle pending
        assertThat(fx.released.isEmpty()).isTrue();
        java.util.Map<String, NodeStatus> latest = fx.latestByNode();
        assertThat(latest.get(OLD).pendingParts()).isZero();
        assertThat(latest.get(NEW).pendingParts()).isEqualTo(1);

        // When NEW completes it, the bundle is released once
        fx.complete(copy, DELIVERED);
        assertThat(fx.released.readValuesToList()).containsExactly(new Release(TopologyFixture.LIAISON, rold.part()));
        assertThat(fx.latest(NEW).pendingParts()).isZero();
    }

    @Test
    void shouldNotReleaseEarlyWhenTheRetargetedCompletionArrivesBeforeTheCopyIsRelayed() {
        // Given a bundle for A and OLD, delivered to A
        EnqueueRecord rold = deliveredToAOnly(43);

        // When OLD's RETARGETED completion arrives and NEW's copy has not been relayed yet
        EnqueueRecord copy = fx.retarget(rold, NEW);

        // Then the bundle waits for NEW: the completion itself names it as a target
        assertThat(fx.released.isEmpty()).isTrue();
        // And once the copy is relayed and NEW completes, it is released
        fx.enqueue(copy);
        fx.complete(copy, DELIVERED);
        assertThat(fx.released.readValuesToList()).hasSize(1);
    }

    @Test
    void shouldReleaseOnceWhenTheReplacementCompletesBeforeTheRetargetedCompletionIsRead() {
        // Given a bundle for A and OLD, delivered to A, and NEW's copy relayed and completed first
        EnqueueRecord rold = deliveredToAOnly(44);
        EnqueueRecord copy = rold.retargeted(NEW);
        fx.enqueue(copy);
        fx.complete(copy, DELIVERED);

        // Then nothing is released while OLD (still among the copy's targets) has not completed
        assertThat(fx.released.isEmpty()).isTrue();
        // When OLD's RETARGETED completion is read, the bundle is released once
        fx.retarget(rold, NEW);
        assertThat(fx.released.readValuesToList()).hasSize(1);
    }
}
