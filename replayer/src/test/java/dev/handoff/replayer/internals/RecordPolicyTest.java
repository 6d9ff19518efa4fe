package dev.handoff.replayer.internals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.protocol.Completion;
import dev.handoff.protocol.Health;
import dev.handoff.protocol.NodeStatus;
import org.junit.jupiter.api.Test;

class RecordPolicyTest {
    private static final String NODE = TestRecords.NODE;

    @Test
    void shouldTruncateRecordsEnqueuedAtOrBeforeTruncateBefore() {
        // Given a node status truncating at t=1000
        NodeStatus status = new NodeStatus(NODE, Health.UP, false, 1000L, 0, 0, null, 1000);

        // Then records up to and including 1000 are truncated, later ones are delivered
        assertThat(RecordPolicy.skip(TestRecords.record(1, 999, null), status, 5000)).contains(Completion.Outcome.TRUNCATED);
        assertThat(RecordPolicy.skip(TestRecords.record(2, 1000, null), status, 5000)).contains(Completion.Outcome.TRUNCATED);
        assertThat(RecordPolicy.skip(TestRecords.record(3, 1001, null), status, 5000)).isEmpty();
    }

    @Test
    void shouldExpireOnlyRecordsWhoseExpiryHasPassed() {
        // Given no status at all (topology not running)
        // Then an expiry in the past completes as EXPIRED, one in the future or none is delivered
        assertThat(RecordPolicy.skip(TestRecords.record(1, 100, 200L), null, 201)).contains(Completion.Outcome.EXPIRED);
        assertThat(RecordPolicy.skip(TestRecords.record(2, 100, 200L), null, 200)).isEmpty();
        assertThat(RecordPolicy.skip(TestRecords.record(3, 100, null), null, Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void shouldDeliverOnlyToNodesNotDownAndNotPaused() {
        assertThat(RecordPolicy.deliverable(null)).isTrue();
        assertThat(RecordPolicy.deliverable(NodeStatus.unknown(NODE, 1))).isTrue();
        assertThat(RecordPolicy.deliverable(new NodeStatus(NODE, Health.DOWN, false, null, 0, 0, null, 1))).isFalse();
        assertThat(RecordPolicy.deliverable(new NodeStatus(NODE, Health.UP, true, null, 0, 0, null, 1))).isFalse();
    }
}
