package dev.handoff.topology;

import static dev.handoff.protocol.Completion.Outcome.DELIVERED;
import static dev.handoff.protocol.Completion.Outcome.DUPLICATE;
import static dev.handoff.protocol.Completion.Outcome.PARKED;
import static dev.handoff.protocol.Completion.Outcome.TRUNCATED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.NodeStatus;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PendingTrackingTest extends DriverTestSupport {
    private static final String NODE = "datanode-1:17912";
    private static final List<String> TARGETS = List.of(NODE);

    /** A record for NODE alone, written to its topic (the fixture keeps its offset). */
    private EnqueueRecord enqueued(long partId, long bytes, long enqueuedAt) {
        EnqueueRecord r = TopologyFixture.record(NODE, TARGETS, partId, bytes, enqueuedAt);
        fx.enqueue(r);
        return r;
    }

    @Test
    void shouldCountPendingPartsAndBytesWithOutOfOrderCompletions() {
        // Given three records of 100, 200 and 400 bytes
        EnqueueRecord a = enqueued(1, 100, 1_000);
        EnqueueRecord b = enqueued(2, 200, 2_000);
        EnqueueRecord c = enqueued(3, 400, 3_000);
        assertThat(fx.latest(NODE)).extracting(NodeStatus::pendingParts, NodeStatus::pendingBytes).containsExactly(3L, 700L);

        // When the middle one completes first, then the last
        fx.complete(b, DELIVERED);
        assertThat(fx.latest(NODE)).extracting(NodeStatus::pendingParts, NodeStatus::pendingBytes).containsExactly(2L, 500L);
        fx.complete(c, PARKED);

        // Then only the first is pending, then nothing
        assertThat(fx.latest(NODE)).extracting(NodeStatus::pendingParts, NodeStatus::pendingBytes).containsExactly(1L, 100L);
        fx.complete(a, TRUNCATED);
        NodeStatus done = fx.latest(NODE);
        assertThat(done).extracting(NodeStatus::pendingParts, NodeStatus::pendingBytes).containsExactly(0L, 0L);
        assertThat(done.oldestEnqueuedAt()).isNull();
    }

    @Test
    void shouldMoveOldestPendingWhenTheOldestCompletesOutOfOrder() {
        // Given records enqueued at 1000, 2000, 3000 (written in the order 2000, 1000, 3000)
        EnqueueRecord second = enqueued(2, 10, 2_000);
        EnqueueRecord first = enqueued(1, 10, 1_000);
        EnqueueRecord third = enqueued(3, 10, 3_000);
        assertThat(fx.latest(NODE).oldestEnqueuedAt()).isEqualTo(1_000L);

        // When the oldest completes, then the youngest
        fx.complete(first, DELIVERED);
        assertThat(fx.latest(NODE).oldestEnqueuedAt()).isEqualTo(2_000L);
        fx.complete(third, DELIVERED);

        // Then the oldest pending is the one left; when it goes, there is none
        assertThat(fx.latest(NODE).oldestEnqueuedAt()).isEqualTo(2_000L);
        fx.complete(second, DELIVERED);
        assertThat(fx.latest(NODE).oldestEnqueuedAt()).isNull();
    }

    @Test
    void shouldMatchACompletionThatArrivesBeforeItsEnqueueRecord() {
        // Given a completion for offset 0 of the node topic, read before the record itself
        EnqueueRecord a = TopologyFixture.record(NODE, TARGETS, 1, 100, 1_000);
        fx.complete(a, 0, DELIVERED);
        assertThat(fx.counter("handoff.topology.completions", "outcome", "EARLY")).isEqualTo(1);

        // When the record arrives at offset 0, and a later one too
        assertThat(fx.enqueue(a)).isZero();
        fx.enqueue(TopologyFixture.record(NODE, TARGETS, 2, 50, 2_000));

        // Then the early-completed record is never pending; the bundle is released
        NodeStatus s = fx.latest(NODE);
        assertThat(s).extracting(NodeStatus::pendingParts, NodeStatus::pendingBytes, NodeStatus::oldestEnqueuedAt)
            .containsExactly(1L, 50L, 2_000L);
        assertThat(fx.released.readValuesToList()).singleElement().satisfies(r -> assertThat(r.part()).isEqualTo(a.part()));
    }

    @Test
    void shouldIgnoreDuplicateCompletions() {
        // Given two pending records
        EnqueueRecord a = enqueued(1, 100, 1_000);
        enqueued(2, 200, 2_000);

        // When the first completes twice (a replayer retried after a rebalance)
        fx.complete(a, DELIVERED);
        fx.complete(a, DUPLICATE);

        // Then it is subtracted once
        assertThat(fx.latest(NODE)).extracting(NodeStatus::pendingParts, NodeStatus::pendingBytes).containsExactly(1L, 200L);
        assertThat(fx.counter("handoff.topology.completions", "outcome", "DUPLICATE")).isEqualTo(1);
        assertThat(fx.released.readValuesToList()).hasSize(1);
    }

    @Test
    void shouldIgnoreADuplicateEarlyCompletion() {
        // Given the same completion read twice before its record
        EnqueueRecord a = TopologyFixture.record(NODE, TARGETS, 1, 100, 1_000);
        fx.complete(a, 0, DELIVERED);
        fx.complete(a, 0, DELIVERED);

        // When the record arrives, then it is complete once and nothing is pending
        fx.enqueue(a);
        assertThat(fx.counter("handoff.topology.completions", "outcome", "DUPLICATE")).isEqualTo(1);
        assertThat(fx.released.readValuesToList()).hasSize(1);
        assertThat(fx.latest(NODE)).extracting(NodeStatus::pendingParts, NodeStatus::pendingBytes).containsExactly(0L, 0L);
    }

    @Test
    void shouldForgetEarlyCompletionsWhoseRecordsWereDeletedBeforeBeingRead() {
        // Given a completion for offset 0, whose record the topology will never read (deleteRecords ran first)
        EnqueueRecord lost = TopologyFixture.record(NODE, TARGETS, 1, 100, 1_000);
        fx.complete(lost, 0, DELIVERED);

        // When the node topic continues at offset 1 (here: an unreadable record fills offset 0)
        fx.pipe(TopologyFixture.TOPICS.node(NODE), "group-a/1", "gone".getBytes(StandardCharsets.UTF_8));
        EnqueueRecord next = TopologyFixture.record(NODE, TARGETS, 2, 10, 2_000);
        long offNext = fx.enqueue(next);

        // Then the early marker is dropped (counted as orphaned), the next record pends normally
        assertThat(offNext).isEqualTo(1);
        assertThat(fx.counter("handoff.topology.completions", "outcome", "ORPHANED")).isEqualTo(1);
        assertThat(fx.latest(NODE).pendingParts()).isEqualTo(1);
        // And a single-target bundle whose only completion was orphaned cannot be released (targets unknown)
        assertThat(fx.released.readValuesToList()).isEmpty();
    }

    @Test
    void shouldNotEmitStatusForACompletionThatChangesNothing() {
        // Given a pending record whose completion is already counted
        EnqueueRecord a = enqueued(1, 100, 1_000);
        fx.complete(a, DELIVERED);
        fx.statuses();

        // When a duplicate completion arrives
        fx.complete(a, DELIVERED);

        // Then no status is emitted
        assertThat(fx.statuses()).isEmpty();
    }
}
