package dev.handoff.replayer.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handoff.protocol.Health;
import dev.handoff.protocol.NodeStatus;
import dev.handoff.protocol.json.Codecs;
import dev.handoff.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The status reader against a MockConsumer: statuses are acted on only while the reader is alive and caught up. */
class NodeStatusTableTest {
    private static final String TOPIC = "handoff.node-status";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);
    private static final String NODE = "dn-1:9420";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final BreakableConsumer consumer = new BreakableConsumer();

    @Test
    void shouldNotBeCurrentWhileItsReaderFailsAndBeCurrentAgainOnceItReadTheTopicAgain() {
        // Given a table caught up with a status saying the node is UP
        try (NodeStatusTable table = caughtUpWithTheNodeUp()) {
            assertThat(table.get(NODE).paused()).isFalse();

            // When its consumer starts failing (the broker cannot be reached), while a PAUSE is written
            consumer.failing = true;
            await().atMost(WAIT).until(() -> !table.current());
            consumer.add(1, status(Health.UP, true));

            // Then nothing may be delivered on the old status; once the reader works again it reads the PAUSE
            consumer.failing = false;
            await().atMost(WAIT).until(table::current);
            assertThat(table.get(NODE).paused()).isTrue();
        }
    }

    @Test
    void shouldGoStaleWhenTheReaderCannotProveItIsCaughtUp() {
        // Given a caught-up table whose end-offset checks then fail (the reader polls but learns nothing)
        try (NodeStatusTable table = caughtUpWithTheNodeUp()) {
            consumer.endOffsetsFail = true;

            // When more than the stale bound passes without a proof
            clock.advance(NodeStatusTable.STALE_AFTER.plusSeconds(1));

            // Then its statuses are no longer acted on
            await().atMost(WAIT).until(() -> !table.current());
        }
    }

    /** A started table that has read a status saying the node is UP (not paused) and is current. */
    private NodeStatusTable caughtUpWithTheNodeUp() {
        consumer.add(0, status(Health.UP, false));
        NodeStatusTable table = new NodeStatusTable(consumer, TOPIC, clock);
        try {
            table.start();
            await().atMost(WAIT).until(table::current);
            return table;
        } catch (RuntimeException | Error e) {
            table.close();
            throw e;
        }
    }

    private static byte[] status(Health health, boolean paused) {
        return Codecs.NODE_STATUS.encode(new NodeStatus(NODE, health, paused, null, 0, 0, null, 1));
    }

    /** A MockConsumer whose poll and end-offset lookups can be made to fail, as a broker outage does. */
    private static final class BreakableConsumer extends MockConsumer<String, byte[]> {
        volatile boolean failing;
        volatile boolean endOffsetsFail;
        private long end;

        BreakableConsumer() {
            super("earliest");
            Node broker = new Node(1, "localhost", 9092);
            updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, broker, new Node[] {broker}, new Node[] {broker})));
            updateBeginningOffsets(Map.of(TP, 0L));
            updateEndOffsets(Map.of(TP, 0L));
        }

        synchronized void add(long offset, byte[] value) {
            end = Math.max(end, offset + 1);
            updateEndOffsets(Map.of(TP, end));
            schedulePollTask(() -> addRecord(new ConsumerRecord<>(TOPIC, 0, offset, NODE, value)));
        }

        @Override
        public synchronized ConsumerRecords<String, byte[]> poll(Duration timeout) {
            if (failing) {
                throw new KafkaException("broker unreachable");
            }
            return super.poll(timeout);
        }

        @Override
        public synchronized Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions, Duration timeout) {
            if (endOffsetsFail || failing) {
                throw new org.apache.kafka.common.errors.TimeoutException("no answer");
            }
            return super.endOffsets(partitions, timeout);
        }
    }
}
