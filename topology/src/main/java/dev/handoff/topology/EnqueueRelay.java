package dev.handoff.topology;

import dev.handoff.protocol.Topics;
import dev.handoff.protocol.TopologyGroups;
import dev.handoff.protocol.common.HandoffHeaders;
import dev.handoff.protocol.common.KafkaClientSupplier;
import dev.handoff.protocol.common.KafkaFailures;
import dev.handoff.protocol.common.LoopThread;
import dev.handoff.protocol.common.Undo;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies every record of every node topic, exactly once, to the fixed topic {@code <prefix>.enqueued}, which is
 * what the Kafka Streams topology reads instead of the node-topic pattern. A plain consumer takes a brand-new
 * node topic in its stride (a rebalance), where a Streams pattern source fails its stream thread ("unknown to
 * the topology"), and a replaced thread stalls every node's status.
 *
 * <p>Each copy keeps the original value, timestamp and headers, and adds the source position as
 * {@link HandoffHeaders#TOPIC}/{@link HandoffHeaders#PARTITION}/{@link HandoffHeaders#OFFSET}; its key is the
 * node topic's name, so one node's records stay in order. Copies and the consumed offsets commit in one
 * transaction ({@code sendOffsetsToTransaction}), in the group {@link TopologyGroups#relayGroup}, which is the
 * group the replayer's trim guard reads. A copy made twice (after a crash, or on upgrade from a topology that
 * read node topics itself) has a source position the topology already read, and is ignored there.
 *
 * <p>It also deletes the copies the Streams group has committed past ({@code deleteRecords}), as Kafka Streams
 * does for its repartition topics, so {@code <prefix>.enqueued} holds only what the topology has not read.
 *
 * <p>Threads: one relay thread owns both clients; {@link #failure()} and {@link #isRunning()} are read from any
 * thread. Its Kafka clients come from a {@link KafkaClientSupplier}, so unit tests run it on mock clients. A
 * failure it does not expect (a bug) stops it for good, as a fatal Kafka failure does: the role then exits rather
 * than run on with no relay.
 */
final class EnqueueRelay implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(EnqueueRelay.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration RETRY_BACKOFF = Duration.ofSeconds(1);
    /** How often the copies the topology has read are deleted. */
    static final Duration PURGE_INTERVAL = Duration.ofSeconds(30);
    /** An instance killed mid-transaction holds the copies' partitions for at most this long. */
    private static final int TRANSACTION_TIMEOUT_MS = 10_000;
    /**
     * Bounds each blocking step of a transaction (the producer's {@code max.block.ms}) unless {@code --kafka-config}
     * sets it; a step that times out fails the transaction, which is aborted and made again with new clients.
     */
    static final int DEFAULT_MAX_BLOCK_MS = 30_000;

    private final TopologySettings settings;
    private final Topics topics;
    private final String transactionalId;
    private final CopyPurger purger;
    private final TopologyMetrics metrics;
    private final AtomicReference<String> fatal = new AtomicReference<>();
    private final LoopThread loop;
    private volatile boolean stopping;
    private final KafkaClientSupplier clients;
    private volatile Consumer<String, byte[]> consumer;

    /**
     * @param instance this topology instance's stable id (kept in its state directory): the relay's transactional
     *     id, so a restarted instance fences its predecessor and aborts its open transaction at once
     */
    EnqueueRelay(TopologySettings settings, String instance, TopologyMetrics metrics, Clock clock, Duration purgeInterval,
                 KafkaClientSupplier clients) {
        this.settings = settings;
        this.clients = clients;
        this.topics = settings.topicNames();
        this.transactionalId = TopologyGroups.relayGroup(settings.applicationId()) + "-" + instance;
        this.purger = new CopyPurger(settings.applicationId(), topics.enqueued(), clock, purgeInterval);
        this.metrics = metrics;
        this.loop = new LoopThread("handoff-enqueue-relay", this::run);
    }

    void start() {
        loop.start();
    }

    /** True while the relay thread runs (it stops only on close or a fatal failure). */
    boolean isRunning() {
        return loop.running() && fatal.get() == null;
    }

    /** The fatal failure that stopped the relay, if any. */
    Optional<String> failure() {
        return Optional.ofNullable(fatal.get());
    }

    @Override
    public void close() {
        stopping = true;
        Consumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        loop.join(Duration.ofSeconds(30));
    }

    private void run() {
        while (!stopping) {
            try {
                relayUntilFailure();
            } catch (WakeupException | InterruptException e) {
                if (!stopping) {
                    failed(e);
                }
            } catch (KafkaException | IllegalStateException e) {
                if (KafkaFailures.isFatal(e)) {
                    String line = KafkaFailures.describe("the enqueue relay", e);
                    fatal.set(line);
                    LOGGER.atError().addKeyValue("error", e.toString()).log(line);
                    return;
                }
                failed(e);
            } catch (RuntimeException | Error e) {
                String line = "the enqueue relay stopped on an unexpected error: " + e;
                fatal.set(line);
                LOGGER.atError().setCause(e).log(line);
                return;
            }
        }
    }

    private void failed(Exception e) {
        metrics.relayFailure();
        LOGGER.atWarn().addKeyValue("error", e.toString()).log("enqueue relay failed; starting again with new clients");
        try {
            Thread.sleep(RETRY_BACKOFF.toMillis());
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
    }

    /** Runs with one pair of clients until a failure; a failed transaction is aborted and nothing of it is visible. */
    private void relayUntilFailure() {
        Map<String, Object> producerConfig = settings.kafka().producer(transactionalId);
        producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        producerConfig.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, TRANSACTION_TIMEOUT_MS);
        producerConfig.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, DEFAULT_MAX_BLOCK_MS);
        Map<String, Object> consumerConfig = settings.kafka().consumer(TopologyGroups.relayGroup(settings.applicationId()),
            transactionalId);
        // A new node topic is joined on the next refresh of the pattern's metadata.
        consumerConfig.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, (int) settings.metadataMaxAge().toMillis());
        // The admin client is made when the first purge is due, and closed with the other two.
        Admin admin = null;
        try (Producer<String, byte[]> producer = clients.producer(producerConfig);
             Consumer<String, byte[]> c = clients.consumer(consumerConfig)) {
            consumer = c;
            producer.initTransactions();
            c.subscribe(topics.nodePattern(), new RelayRebalanceLog());
            while (!stopping) {
                ConsumerRecords<String, byte[]> records = c.poll(POLL);
                if (!records.isEmpty()) {
                    relay(producer, c, records);
                }
                if (purger.due()) {
                    if (admin == null) {
                        admin = clients.admin(settings.kafka().admin());
                    }
                    purger.purge(admin);
                }
            }
        } finally {
            if (admin != null) {
                admin.close();
            }
            consumer = null;
        }
    }

    private void relay(Producer<String, byte[]> producer, Consumer<String, byte[]> c,
                       ConsumerRecords<String, byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        producer.beginTransaction();
        try {
            for (ConsumerRecord<String, byte[]> r : records) {
                RecordHeaders headers = new RecordHeaders(r.headers().toArray());
                HandoffHeaders.putSource(headers, r.topic(), r.partition(), r.offset());
                producer.send(new ProducerRecord<>(topics.enqueued(), null, r.timestamp(), r.topic(), r.value(), headers));
                offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
            }
            // The position, where known, is also past the transaction markers and aborted records after the last copy.
            offsets.replaceAll((tp, o) -> new OffsetAndMetadata(Math.max(o.offset(), c.position(tp, Duration.ZERO))));
            producer.sendOffsetsToTransaction(offsets, c.groupMetadata());
            producer.commitTransaction();
        } catch (KafkaException e) {
            throw Undo.after(e, KafkaException.class, producer::abortTransaction);
        }
        metrics.relayed(records.count());
    }
}
