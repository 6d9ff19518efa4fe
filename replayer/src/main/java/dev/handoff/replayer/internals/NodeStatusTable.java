package dev.handoff.replayer.internals;

import dev.handoff.protocol.InvalidRecordException;
import dev.handoff.protocol.NodeStatus;
import dev.handoff.protocol.common.Backoff;
import dev.handoff.protocol.common.LoopThread;
import dev.handoff.protocol.json.Codecs;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local copy of the compacted {@code node-status} topic: a group-less consumer assigned to all its
 * partitions, read from the beginning on its own thread. Readers on any thread see the latest status
 * per node. Until the topic exists (the topology is not running) the table is empty and
 * {@link #current()} is true, so replayers fall back to their own delivery attempts.
 *
 * <p>Statuses are acted on only while they are {@link #current()}: read up to everything the topic held
 * at most {@link #STALE_AFTER} ago. The reader proves that every {@link #CHECK_INTERVAL} by comparing its
 * positions with end offsets it fetched at the previous check. A reader that fails (a broker it cannot
 * reach, any client error) is not current; it backs off, reads the topic again from the beginning and is
 * current again once caught up. The replayer delivers nothing and is not ready while it is not current,
 * so a PAUSE or a DOWN is never missed because the reader stopped.
 */
final class NodeStatusTable implements NodeStatuses, AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(NodeStatusTable.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final long RETRY_TOPIC_MILLIS = 2_000;
    /** How often the reader proves it is caught up. */
    static final Duration CHECK_INTERVAL = Duration.ofSeconds(5);
    /** How long after the last proof the statuses are still acted on. */
    static final Duration STALE_AFTER = Duration.ofSeconds(15);

    private final ConcurrentHashMap<String, NodeStatus> statuses = new ConcurrentHashMap<>();
    private final Consumer<String, byte[]> consumer;
    private final String topic;
    private final Clock clock;
    private final LoopThread loop;
    private final java.util.function.Consumer<String> firstSeen;
    private final Backoff backoff = Backoff.exponential(Duration.ofMillis(200), Duration.ofSeconds(10));
    private volatile boolean caughtUp;
    /** When the reader last proved it had read everything the topic held {@link #CHECK_INTERVAL} earlier. */
    private volatile long confirmedAtMillis;
    private final CountDownLatch stopped = new CountDownLatch(1);

    /** Reads with {@code consumer} (a {@code MockConsumer} in unit tests); the table owns and closes it. */
    NodeStatusTable(Consumer<String, byte[]> consumer, String topic, Clock clock) {
        this(consumer, topic, clock, node -> { });
    }

    /** As above; {@code firstSeen} is told, on the reader thread, of each node the first time it has a status. */
    NodeStatusTable(Consumer<String, byte[]> consumer, String topic, Clock clock, java.util.function.Consumer<String> firstSeen) {
        this.firstSeen = firstSeen;
        this.consumer = consumer;
        this.topic = topic;
        this.clock = clock;
        this.loop = new LoopThread("handoff-node-status", this::run);
    }

    synchronized void start() {
        loop.start();
    }

    /** The latest status of {@code node}, or null when none is known. */
    @Override
    public NodeStatus get(String node) {
        return statuses.get(node);
    }

    /** True while statuses may be acted on: caught up, and proven so within {@link #STALE_AFTER}. */
    @Override
    public boolean current() {
        return caughtUp && clock.millis() - confirmedAtMillis <= STALE_AFTER.toMillis();
    }

    private void run() {
        int failures = 0;
        try {
            while (loop.running()) {
                try {
                    read();
                } catch (WakeupException | InterruptException e) {
                    throw e;
                } catch (RuntimeException e) {
                    caughtUp = false;
                    failures++;
                    LOGGER.atError().addKeyValue("error", e.toString()).addKeyValue("attempt", failures)
                        .log("node status reader failed; delivery waits until it has read the statuses again");
                    if (stopped.await(backoff.delay(failures).toMillis(), TimeUnit.MILLISECONDS)) {
                        return;
                    }
                }
            }
        } catch (WakeupException e) {
            if (loop.running()) {
                LOGGER.atError().setCause(e).log("node status reader woken unexpectedly");
            }
        } catch (InterruptedException | InterruptException e) {
            Thread.currentThread().interrupt();
        } finally {
            caughtUp = false;
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
        }
    }

    /** Reads the topic from the beginning, then follows it, proving currency every check interval. */
    private void read() throws InterruptedException {
        Map<TopicPartition, Long> ends = assign();
        long lastCheck = clock.millis();
        while (loop.running()) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
                apply(r);
            }
            long now = clock.millis();
            if (!caughtUp && reached(ends)) {
                confirmedAtMillis = now;
                caughtUp = true;
                LOGGER.atInfo().addKeyValue("nodes", statuses.size()).log("node status table caught up");
            } else if (caughtUp && now - lastCheck >= CHECK_INTERVAL.toMillis()) {
                if (reached(ends)) {
                    confirmedAtMillis = now;
                }
                ends = consumer.endOffsets(ends.keySet(), CHECK_INTERVAL);
                lastCheck = now;
            }
        }
    }

    private boolean reached(Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey(), CHECK_INTERVAL) >= e.getValue());
    }

    /** Waits for the topic to exist, assigns all its partitions from the beginning; returns their end offsets. */
    private Map<TopicPartition, Long> assign() throws InterruptedException {
        while (loop.running()) {
            List<PartitionInfo> infos = partitions();
            if (!infos.isEmpty()) {
                List<TopicPartition> tps = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
                consumer.assign(tps);
                consumer.seekToBeginning(tps);
                return consumer.endOffsets(tps, CHECK_INTERVAL);
            }
            // No topic, no topology: nothing to wait for, so replayers deliver on their own attempts.
            confirmedAtMillis = clock.millis();
            caughtUp = true;
            LOGGER.atDebug().addKeyValue("topic", topic).log("node status topic does not exist yet");
            stopped.await(RETRY_TOPIC_MILLIS, TimeUnit.MILLISECONDS);
        }
        return Map.of();
    }

    private List<PartitionInfo> partitions() {
        try {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
            return infos == null ? List.of() : infos;
        } catch (org.apache.kafka.common.errors.TimeoutException | org.apache.kafka.common.errors.UnknownTopicOrPartitionException e) {
            return List.of();
        }
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            if (r.key() != null) {
                statuses.remove(r.key());
            }
            return;
        }
        try {
            NodeStatus s = Codecs.NODE_STATUS.decode(r.value());
            NodeStatus before = statuses.put(s.node(), s);
            if (before == null) {
                firstSeen.accept(s.node());
            }
            if (before == null || before.deliverable() != s.deliverable()) {
                LOGGER.atInfo().addKeyValue("node", s.node()).addKeyValue("health", s.health())
                    .addKeyValue("paused", s.paused()).log("node status changed");
            }
        } catch (InvalidRecordException e) {
            LOGGER.atWarn().addKeyValue("partition", r.partition()).addKeyValue("offset", r.offset())
                .addKeyValue("reason", e.reason()).log("skipping unreadable node status");
        }
    }

    @Override
    public synchronized void close() {
        loop.stop();
        stopped.countDown();
        if (!loop.started()) {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
            return;
        }
        consumer.wakeup();
        loop.join(Duration.ofSeconds(10));
    }
}
