package dev.handoff.replayer.internals;

import dev.handoff.protocol.common.Backoff;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link GroupOffsets.Reader} on the poll thread's consumer, with waits short enough not to hold up delivery: each
 * read waits at most {@link #READ_TIMEOUT}, and after a failed read the next one waits out a backoff (1 s doubling
 * to 1 min). A read fails while the broker is away, and for as long as the group's offsets are unstable (a
 * transaction of a killed member still open, KIP-447): blocking there for the full commit timeout on every
 * iteration once stalled a whole drain after a broker restart. Poll thread only.
 */
final class LogStartReader implements GroupOffsets.Reader {
    private static final Logger LOGGER = LoggerFactory.getLogger(LogStartReader.class);
    /** The longest one read of committed offsets or log starts may block the poll thread. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(1);

    private final Supplier<Consumer<String, byte[]>> consumer;
    private final Clock clock;
    private final Backoff backoff = Backoff.exponential(Duration.ofSeconds(1), Duration.ofMinutes(1));
    private int failures;
    private long notBeforeMillis;

    LogStartReader(Supplier<Consumer<String, byte[]>> consumer, Clock clock) {
        this.consumer = consumer;
        this.clock = clock;
    }

    /** The log starts of the partitions without a committed offset, or null when not read this time (try later). */
    @Override
    public Map<TopicPartition, Long> ofUncommitted(Set<TopicPartition> partitions, Map<TopicPartition, Long> seen) {
        long now = clock.millis();
        if (now < notBeforeMillis) {
            return null;
        }
        try {
            Consumer<String, byte[]> c = consumer.get();
            Map<TopicPartition, OffsetAndMetadata> committed = c.committed(partitions, READ_TIMEOUT);
            Set<TopicPartition> none = new HashSet<>();
            partitions.stream().filter(tp -> committed.get(tp) == null).forEach(none::add);
            committed.forEach((tp, o) -> {
                if (o != null) {
                    seen.put(tp, o.offset());
                }
            });
            Map<TopicPartition, Long> starts = none.isEmpty() ? Map.of() : c.beginningOffsets(none, READ_TIMEOUT);
            failures = 0;
            return starts;
        } catch (RetriableException e) {
            failures++;
            notBeforeMillis = now + backoff.delay(failures).toMillis();
            LOGGER.atInfo().addKeyValue("partitions", partitions.size()).addKeyValue("attempt", failures)
                .addKeyValue("error", e.toString()).log("cannot read committed offsets yet; the log start is committed later");
            return null;
        }
    }

    /** The consumer's position, read without waiting: null when it would need the broker (not known yet). */
    @Override
    public Long position(TopicPartition tp) {
        try {
            return consumer.get().position(tp, Duration.ZERO);
        } catch (org.apache.kafka.common.errors.TimeoutException | IllegalStateException e) {
            return null;
        }
    }
}
