package dev.handoff.producer;

import dev.handoff.protocol.common.KafkaClientSupplier;
import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.HealthEvent;
import dev.handoff.protocol.InvalidFieldException;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.common.FirstWriteGuard;
import dev.handoff.protocol.common.TopicAdmin;
import dev.handoff.protocol.json.Codecs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the producer's records to Kafka: enqueue records to node topics (created through the Admin
 * API on first use) and health events. One idempotent {@code acks=all} producer client shared by every
 * thread, behind a {@link FirstWriteGuard} so that no partition's first write races another
 * (KAFKA-15591). A client that leaves a publish unacknowledged past the publish timeout is taken for
 * wedged and replaced by a new one; the records it still held fail, and their bundles are republished.
 * Owns the clients and the admin client. Thread-safe.
 */
final class RecordPublisher implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(RecordPublisher.class);

    /** One producer client and its guard; replaced together. */
    private record Client(Producer<String, byte[]> producer, FirstWriteGuard<String, byte[]> guard, int generation) {
        void closeNow() {
            guard.close();
            producer.close(Duration.ZERO);
        }
    }

    /** What a produce request adds around one record's key and value (batch and record headers), with room to spare. */
    private static final int FRAMING_BYTES = 512;
    /** Kafka's default {@code max.request.size}. */
    private static final int DEFAULT_MAX_REQUEST_BYTES = 1024 * 1024;

    private final ProducerSettings settings;
    private final Topics topics;
    private final int maxRequestBytes;
    private final TopicEnsurer topicEnsurer;
    private final KafkaClientSupplier clients;
    private final ProducerMetrics metrics;
    private final AtomicInteger generations = new AtomicInteger();
    private final AtomicReference<Client> client = new AtomicReference<>();
    private final HealthSender healthSender;

    /** Producer clients and the admin client from {@code clients}; owns them all. */
    RecordPublisher(ProducerSettings settings, ProducerMetrics metrics, KafkaClientSupplier clients) {
        this(settings, metrics, TopicEnsurer.admin(clients.admin(settings.kafka().admin())), clients);
    }

    /** Topics through {@code creator} (owned when it is {@link AutoCloseable}), producer clients from {@code clients}. */
    RecordPublisher(ProducerSettings settings, ProducerMetrics metrics, TopicEnsurer.Creator creator, KafkaClientSupplier clients) {
        this.settings = settings;
        this.topics = settings.topics();
        this.metrics = metrics;
        this.topicEnsurer = new TopicEnsurer(creator, settings.publish().timeout());
        this.clients = clients;
        this.healthSender = new HealthSender(topics.health(), () -> client.get().guard());
        this.maxRequestBytes = Integer.parseInt(settings.kafka().properties().getOrDefault(
            ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(DEFAULT_MAX_REQUEST_BYTES)));
        this.client.set(newClient());
    }

    /**
     * The producer client's configuration: handoff's durable defaults, and {@code max.block.ms} bounded
     * by the publish timeout (unless {@code --kafka-config} sets it), so a send that waits for metadata
     * or buffer space cannot outlast the enqueue that made it.
     */
    static Map<String, Object> clientConfig(ProducerSettings settings, int generation) {
        String id = "handoff-producer-" + settings.liaison() + (generation == 0 ? "" : "-" + generation);
        Map<String, Object> config = settings.kafka().producer(id);
        config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, settings.publish().timeout().toMillis());
        return config;
    }

    /**
     * Refuses a record the client could never send ({@code max.request.size}), so that the enqueue is
     * refused before anything is stored instead of failing at every publish and every start.
     */
    void requireFits(EnqueueRecord record) {
        int bytes = Codecs.ENQUEUE.encode(record).length + record.part().groupShard().length() + FRAMING_BYTES;
        if (bytes > maxRequestBytes) {
            throw new InvalidFieldException("types", record.fileCount() + " files", "the enqueue record would be about "
                + bytes + " bytes, over the producer's max.request.size of " + maxRequestBytes + " bytes (raise "
                + "max.request.size in --kafka-config and the node topics' max.message.bytes, or enqueue fewer files per part)");
        }
    }

    /** Creates the fixed topics this role reads or writes, unless they exist. */
    void ensureFixedTopics() throws PublishException {
        long deadline = deadline();
        ensure(topics.health(), settings.publish().fixedTopics(), Map.of(), deadline);
        ensure(topics.released(), settings.publish().fixedTopics(), TopicAdmin.keepForeverConfigs(), deadline);
        ensure(topics.completions(), settings.publish().fixedTopics(), TopicAdmin.keepForeverConfigs(), deadline);
    }

    /**
     * Sends one record per node and returns once Kafka acknowledged every one of them, within the
     * publish timeout (topic creation and sends included).
     */
    void publish(Collection<EnqueueRecord> records) throws PublishException {
        long deadline = deadline();
        Client c = client.get();
        List<CompletableFuture<RecordMetadata>> acks = new ArrayList<>(records.size());
        try {
            for (EnqueueRecord r : records) {
                String topic = topics.node(r.node());
                ensure(topic, settings.publish().nodeTopics(), TopicAdmin.nodeTopicConfigs(), deadline);
                try {
                    acks.add(c.guard().send(new ProducerRecord<>(topic, r.part().groupShard(), Codecs.ENQUEUE.encode(r))));
                } catch (RuntimeException e) {
                    throw new PublishException("cannot send the enqueue record for " + r.node(), e);
                }
            }
            awaitAll(acks, deadline, c);
        } finally {
            // A record still waiting for its partition's first write is not sent once its enqueue gave up.
            acks.forEach(a -> a.cancel(false));
        }
    }

    private void awaitAll(List<CompletableFuture<RecordMetadata>> acks, long deadline, Client c) throws PublishException {
        // No flush(): it waits for every record of the shared client, retries included, for up to
        // delivery.timeout.ms (120 s), so the publish timeout would not bound the enqueue.
        for (CompletableFuture<RecordMetadata> ack : acks) {
            try {
                ack.get(remaining(deadline), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                throw new PublishException("Kafka refused an enqueue record", e.getCause());
            } catch (TimeoutException e) {
                replace(c);
                throw new PublishException("no acknowledgement within " + settings.publish().timeout()
                    + " (the producer client was replaced; the bundle stays stored and is republished)", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PublishException("interrupted while waiting for acknowledgements", e);
            }
        }
    }

    /**
     * Replaces {@code wedged} with a new client unless that was done already (one replacement per
     * client, however many publishes saw it stall). The old client is closed at once: what it still
     * held fails, and those enqueues report a retriable {@link PublishException}.
     */
    private void replace(Client wedged) {
        Client fresh;
        synchronized (client) {
            if (client.get() != wedged) {
                return;
            }
            try {
                fresh = newClient();
            } catch (RuntimeException e) {
                LOGGER.atWarn().addKeyValue("error", e.toString())
                    .log("cannot create a new Kafka producer client; keeping the old one");
                return;
            }
            client.set(fresh);
        }
        metrics.kafkaClientReplaced();
        LOGGER.atWarn().addKeyValue("generation", fresh.generation()).addKeyValue("timeout", settings.publish().timeout())
            .log("replaced the Kafka producer client: a publish had no acknowledgement within the publish timeout "
                + "(a wedged partition, KAFKA-15591, or a cluster below min ISR)");
        wedged.closeNow();
    }

    private Client newClient() {
        int generation = generations.getAndIncrement();
        Producer<String, byte[]> producer = clients.producer(clientConfig(settings, generation));
        return new Client(producer, new FirstWriteGuard<>(producer, new StringSerializer(),
            "handoff-producer-first-writes-" + generation), generation);
    }

    /** Queues a health event and returns at once (see {@link HealthSender}). */
    void health(HealthEvent event) {
        healthSender.send(event);
    }

    private void ensure(String topic, TopicAdmin.TopicSettings topicSettings, Map<String, String> configs, long deadline)
        throws PublishException {
        topicEnsurer.ensure(topic, topicSettings, configs, deadline);
    }

    private long deadline() {
        return System.nanoTime() + settings.publish().timeout().toNanos();
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    @Override
    public void close() {
        healthSender.close();
        Client c = client.get();
        c.guard().close();
        c.producer().close(Duration.ofSeconds(10));
        topicEnsurer.close();
    }
}
