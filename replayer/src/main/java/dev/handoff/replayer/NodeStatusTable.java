package dev.handoff.replayer;

import dev.handoff.protocol.InvalidRecordException;
import dev.handoff.protocol.NodeStatus;
import dev.handoff.protocol.common.KafkaSettings;
import dev.handoff.protocol.json.Codecs;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local copy of the compacted {@code node-status} topic: a group-less consumer assigned to all its
 * partitions, read from the beginning on its own thread. Readers on any thread see the latest status
 * per node. Until the topic exists (the topology is not running) the table is empty and
 * {@link #caughtUp()} is true, so replayers fall back to their own delivery attempts.
 */
final class NodeStatusTable implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(NodeStatusTable.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final long RETRY_TOPIC_MILLIS = 2_000;

    private final ConcurrentHashMap<String, NodeStatus> statuses = new ConcurrentHashMap<>();
    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean caughtUp;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private boolean started;

    NodeStatusTable(KafkaSettings kafka, String topic, String clientId) {
        this.topic = topic;
        Map<String, Object> config = kafka.consumer(null, clientId);
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "handoff-node-status");
        this.thread.setDaemon(true);
    }

    synchronized void start() {
        started = true;
        thread.start();
    }

    /** The latest status of {@code node}, or null when none is known. */
    NodeStatus get(String node) {
        return statuses.get(node);
    }

    /** True once everything in the topic at start has been read (or there is no topic). */
    boolean caughtUp() {
        return caughtUp;
    }

    private void run() {
        try {
            Map<TopicPartition, Long> ends = assign();
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
                    apply(r);
                }
                if (!caughtUp && ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    caughtUp = true;
                    LOGGER.atInfo().addKeyValue("nodes", statuses.size()).log("node status table caught up");
                }
            }
        } catch (WakeupException e) {
            if (running) {
                LOGGER.atError().setCause(e).log("node status reader woken unexpectedly");
            }
        } catch (RuntimeException e) {
            LOGGER.atError().setCause(e).log("node status reader failed; statuses are no longer updated");
        } finally {
            consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(2)));
        }
    }

    /** Waits for the topic to exist, assigns all its partitions from the beginning; returns their end offsets. */
    private Map<TopicPartition, Long> assign() {
        while (running) {
            List<PartitionInfo> infos = partitions();
            if (!infos.isEmpty()) {
                List<TopicPartition> tps = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
                consumer.assign(tps);
                consumer.seekToBeginning(tps);
                return consumer.endOffsets(tps);
            }
            caughtUp = true;
            LOGGER.atDebug().addKeyValue("topic", topic).log("node status topic does not exist yet");
            try {
                stopped.await(RETRY_TOPIC_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Map.of();
            }
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
        running = false;
        stopped.countDown();
        if (!started) {
            consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(2)));
            return;
        }
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
