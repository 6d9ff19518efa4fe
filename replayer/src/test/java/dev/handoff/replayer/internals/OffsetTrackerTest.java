package dev.handoff.replayer.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

    @Test
    void shouldCommitOnlyTheContiguousCompletePrefix() {
        // Given three polled records
        OffsetTracker<String> tracker = tracking(10, 11, 12);

        // When the later two complete first
        tracker.complete(11, "b");
        tracker.complete(12, "c");

        // Then nothing is committable while the first is open
        assertThat(tracker.drain()).isNull();

        // When the first completes
        tracker.complete(10, "a");

        // Then all three go together, and the next offset follows the last
        OffsetTracker.Committable<String> c = tracker.drain();
        assertThat(c.results()).containsExactly("a", "b", "c");
        assertThat(c.nextOffset()).isEqualTo(13);
        assertThat(tracker.size()).isZero();
    }

    @Test
    void shouldStopAtTheFirstIncompleteRecord() {
        // Given records with a gap in offsets (a transaction marker) and one open in the middle
        OffsetTracker<String> tracker = tracking(5, 7, 8);
        tracker.complete(5, "a");
        tracker.complete(8, "c");

        // When drained
        OffsetTracker.Committable<String> c = tracker.drain();

        // Then only the first is handed out, and the second drain hands nothing
        assertThat(c.results()).containsExactly("a");
        assertThat(c.nextOffset()).isEqualTo(6);
        assertThat(tracker.drain()).isNull();
        assertThat(tracker.size()).isEqualTo(2);
    }

    @Test
    void shouldIgnoreUnknownAndRepeatedCompletions() {
        // Given one tracked record
        OffsetTracker<String> tracker = tracking(1);

        // Then an unknown offset and a second completion are refused
        assertThat(tracker.complete(2, "x")).isFalse();
        assertThat(tracker.complete(1, "a")).isTrue();
        assertThat(tracker.complete(1, "again")).isFalse();
        assertThat(tracker.drain().results()).containsExactly("a");
    }

    @Test
    void shouldRefuseOffsetsOutOfOrder() {
        OffsetTracker<String> tracker = tracking(4);

        assertThatThrownBy(() -> tracker.add(4)).hasMessageContaining("not after 4");
    }

    /** A tracker of records polled at {@code offsets}, in that order. */
    private static OffsetTracker<String> tracking(long... offsets) {
        OffsetTracker<String> tracker = new OffsetTracker<>();
        for (long offset : offsets) {
            tracker.add(offset);
        }
        return tracker;
    }
}
