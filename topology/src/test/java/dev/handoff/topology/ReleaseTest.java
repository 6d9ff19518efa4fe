package dev.handoff.topology;

import static dev.handoff.protocol.Completion.Outcome.DELIVERED;
import static dev.handoff.protocol.Completion.Outcome.EXPIRED;
import static dev.handoff.protocol.Completion.Outcome.PARKED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.Release;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

class ReleaseTest extends DriverTestSupport {
    private static final String A = "datanode-1:17912";
    private static final String B = "datanode-2:17912";
    private static final String C = "[::1]:17912";
    private static final List<String> TARGETS = List.of(A, B, C);

    @Test
    void shouldReleaseOnlyWhenEveryTargetCompleted() {
        // Given one bundle enqueued for three nodes
        EnqueueRecord ra = TopologyFixture.record(A, TARGETS, 42, 100, 1_000);
        EnqueueRecord rb = ra.forNode(B);
        EnqueueRecord rc = ra.forNode(C);
        long oa = fx.enqueue(ra);
        long ob = fx.enqueue(rb);
        long oc = fx.enqueue(rc);

        // When two of three complete (any outcome counts)
        fx.complete(ra, oa, DELIVERED);
        fx.complete(rc, oc, PARKED);

        // Then nothing is released yet
        assertThat(fx.released.isEmpty()).isTrue();

        // When the third completes
        fx.complete(rb, ob, EXPIRED);

        // Then exactly one Release, keyed by liaison
        List<TestRecord<String, Release>> out = fx.released.readRecordsToList();
        assertThat(out).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo(TopologyFixture.LIAISON);
            assertThat(r.value()).isEqualTo(new Release(TopologyFixture.LIAISON, ra.part()));
        });
        assertThat(fx.registry.get("handoff.topology.releases").counter().count()).isEqualTo(1);
    }

    @Test
    void shouldNotReleaseTwiceWhenCompletionsRepeat() {
        // Given a two-target bundle that was released
        EnqueueRecord ra = TopologyFixture.record(A, List.of(A, B), 7, 100, 1_000);
        EnqueueRecord rb = ra.forNode(B);
        long oa = fx.enqueue(ra);
        long ob = fx.enqueue(rb);
        fx.complete(ra, oa, DELIVERED);
        fx.complete(rb, ob, DELIVERED);
        assertThat(fx.released.readValuesToList()).hasSize(1);

        // When both completions are read again
        fx.complete(ra, oa, DELIVERED);
        fx.complete(rb, ob, DELIVERED);

        // Then no second Release
        assertThat(fx.released.isEmpty()).isTrue();
    }

    @Test
    void shouldReleaseBundlesIndependently() {
        // Given two bundles for the same two nodes
        EnqueueRecord p1 = TopologyFixture.record(A, List.of(A, B), 1, 10, 1_000);
        EnqueueRecord p2 = TopologyFixture.record(A, List.of(A, B), 2, 10, 1_000);
        long o1a = fx.enqueue(p1);
        long o2a = fx.enqueue(p2);
        long o1b = fx.enqueue(p1.forNode(B));

        // When p1 completes on A only and p2 on A, then p1 on B
        fx.complete(p1, o1a, DELIVERED);
        fx.complete(p2, o2a, DELIVERED);
        fx.complete(p1.forNode(B), o1b, DELIVERED);

        // Then only p1 is released: p2 waits for B
        assertThat(fx.released.readValuesToList()).extracting(Release::part).containsExactly(p1.part());
    }
}
