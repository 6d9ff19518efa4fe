package dev.handoff.replayer.internals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class LogStartReaderTest {
    private static final TopicPartition A = new TopicPartition("handoff.node.a", 0);
    private static final TopicPartition B = new TopicPartition("handoff.node.a", 1);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final AtomicInteger reads = new AtomicInteger();
    private volatile boolean unstable = true;

    /** A consumer whose committed offsets cannot be read while {@link #unstable} (as with an open transaction). */
    private final MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest") {
        @Override
        public synchronized Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions, Duration timeout) {
            reads.incrementAndGet();
            assertThat(timeout).isLessThanOrEqualTo(LogStartReader.READ_TIMEOUT);
            if (unstable) {
                throw new TimeoutException("Timeout of " + timeout.toMillis() + "ms expired before the last committed offset");
            }
            return super.committed(partitions, timeout);
        }
    };

    @Test
    void shouldWaitBrieflyThenBackOffWhileTheOffsetsCannotBeReadAndReadThemLater() {
        // Given partition A with a committed offset, B with none, and offsets that cannot be read yet
        consumer.assign(Set.of(A, B));
        consumer.commitSync(Map.of(A, new OffsetAndMetadata(7)));
        consumer.updateBeginningOffsets(Map.of(A, 3L, B, 5L));
        LogStartReader reader = new LogStartReader(() -> consumer, clock);

        // When it is asked twice within the backoff
        assertThat(reader.ofUncommitted(Set.of(A, B), new java.util.HashMap<>())).isNull();
        assertThat(reader.ofUncommitted(Set.of(A, B), new java.util.HashMap<>())).isNull();

        // Then the second ask did not wait on the consumer at all
        assertThat(reads).hasValue(1);

        // When the backoff has passed and the offsets are stable again
        unstable = false;
        clock.advance(Duration.ofMinutes(1));

        // Then only B, the partition with no offset, gets its log start, and A's committed offset is reported
        Map<TopicPartition, Long> seen = new java.util.HashMap<>();
        assertThat(reader.ofUncommitted(Set.of(A, B), seen)).isEqualTo(Map.of(B, 5L));
        assertThat(seen).isEqualTo(Map.of(A, 7L));
        assertThat(reads).hasValue(2);
    }
}
