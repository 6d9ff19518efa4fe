package dev.handoff.producer;

import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.HealthEvent;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.common.TopicAdmin;
import dev.handoff.protocol.json.Codecs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the producer's records to Kafka: enqueue records to node topics (created through the
 * Admin API on first use) and health events. One idempotent {@code acks=all} producer shared by
 * every thread; owns it and the admin client. Thread-safe.
 */
final class RecordPublisher implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(RecordPublisher.class);

    private final ProducerSettings settings;
    private final Topics topics;
    private final Producer<String, byte[]> producer;
    private final Admin admin;
    private final Set<String> knownTopics = ConcurrentHashMap.newKeySet();

    RecordPublisher(ProducerSettings settings) {
        this.settings = settings;
        this.topics = settings.topics();
        this.admin = Admin.create(settings.kafka().admin());
        this.producer = new KafkaProducer<>(settings.kafka().producer("handoff-producer-" + settings.liaison()),
            new StringSerializer(), new ByteArraySerializer());
    }

    /** Creates the fixed topics this role reads or writes, unless they exist. */
    void ensureFixedTopics() throws PublishException {
        ensure(topics.health(), settings.fixedTopics(), Map.of());
        ensure(topics.released(), settings.fixedTopics(), TopicAdmin.keepForeverConfigs());
        ensure(topics.completions(), settings.fixedTopics(), TopicAdmin.keepForeverConfigs());
    }

    /** Sends one record per node and returns once Kafka acknowledged every one of them. */
    void publish(Collection<EnqueueRecord> records) throws PublishException {
        long deadline = System.nanoTime() + settings.publishTimeout().toNanos();
        List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
        for (EnqueueRecord r : records) {
            String topic = topics.node(r.node());
            ensure(topic, settings.nodeTopics(), TopicAdmin.nodeTopicConfigs());
            try {
                acks.add(producer.send(new ProducerRecord<>(topic, r.part().groupShard(), Codecs.ENQUEUE.encode(r))));
            } catch (KafkaException e) {
                throw new PublishException("cannot send the enqueue record for " + r.node(), e);
            }
        }
        // No flush(): it waits for every record of the shared producer, retries included, for up to
        // delivery.timeout.ms (120 s), so the publish timeout would not bound the enqueue (linger is 1 ms anyway).
        for (Future<RecordMetadata> ack : acks) {
            try {
                ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                throw new PublishException("Kafka refused an enqueue record", e.getCause());
            } catch (TimeoutException e) {
                throw new PublishException("no acknowledgement within " + settings.publishTimeout(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PublishException("interrupted while waiting for acknowledgements", e);
            }
        }
    }

    /** Sends a health event without waiting; a failure is logged (the next heartbeat repeats the state). */
    void health(HealthEvent event) {
        try {
            send(event);
        } catch (KafkaException e) {
            LOGGER.atWarn().addKeyValue("node", event.node()).addKeyValue("error", e.toString())
                .log("could not send a health event");
        }
    }

    private void send(HealthEvent event) {
        producer.send(new ProducerRecord<>(topics.health(), event.node(), Codecs.HEALTH.encode(event)), (md, e) -> {
            if (e != null) {
                LOGGER.atWarn().addKeyValue("node", event.node()).addKeyValue("status", event.status())
                    .addKeyValue("error", e.toString()).log("could not publish a health event");
            }
        });
    }

    private void ensure(String topic, TopicAdmin.TopicSettings topicSettings, Map<String, String> configs)
        throws PublishException {
        if (knownTopics.contains(topic)) {
            return;
        }
        try {
            if (TopicAdmin.ensure(admin, topic, topicSettings, configs)) {
                LOGGER.atInfo().addKeyValue("topic", topic).log("created topic");
            }
            knownTopics.add(topic);
        } catch (ExecutionException e) {
            throw new PublishException("cannot create topic " + topic, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishException("interrupted while creating topic " + topic, e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
        admin.close(Duration.ofSeconds(10));
    }
}
