package dev.handoff.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handoff.protocol.Topics;
import dev.handoff.protocol.TopologyGroups;
import dev.handoff.protocol.common.KafkaClientSupplier;
import dev.handoff.protocol.common.HandoffHeaders;
import dev.handoff.protocol.common.KafkaSettings;
import dev.handoff.protocol.common.TopicAdmin;
import dev.handoff.testkit.KafkaClusterExtension;
import dev.handoff.testkit.SharedKafkaTest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The enqueue relay against a real broker: what it copies, exactly once, and what it deletes. */
class EnqueueRelayIT extends SharedKafkaTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private KafkaSettings kafka;
    private Topics topics;
    private TopologySettings settings;

    @BeforeEach
    void setUp() {
        kafka = KafkaSettings.of(KAFKA.bootstrapServers());
        topics = new Topics(KafkaClusterExtension.unique("relay"));
        settings = TopologySettings.builder(kafka).topicPrefix(topics.prefix())
            .applicationId(KafkaClusterExtension.unique("relay-app")).stateDir(tmp).build();
    }

    @Test
    void shouldCopyEveryCommittedNodeTopicRecordOnceWithItsSourceAcrossNewTopicsAndARestart() throws Exception {
        // Given a node topic before the relay starts, with one record, and an aborted transaction's record
        String a = topics.node("node-a:1");
        String b = topics.node("node-b:1");
        String instance = UUID.randomUUID().toString();
        try (Admin admin = Admin.create(kafka.admin());
             KafkaProducer<String, String> plain = producer(kafka, null);
             KafkaProducer<String, String> tx = producer(kafka, "relay-it-" + instance)) {
            TopicAdmin.ensureFixed(admin, topics, TopicAdmin.TopicSettings.single());
            TopicAdmin.ensure(admin, a, TopicAdmin.TopicSettings.single(), TopicAdmin.nodeTopicConfigs());
            plain.send(new ProducerRecord<>(a, "k", "a-0")).get();
            tx.initTransactions();
            tx.beginTransaction();
            tx.send(new ProducerRecord<>(a, "k", "aborted")).get();
            tx.abortTransaction();

            // When the relay runs, a new node topic appears with records, and a committed transaction adds one more
            EnqueueRelay relay = relay(settings, instance);
            TopicAdmin.ensure(admin, b, TopicAdmin.TopicSettings.single(), TopicAdmin.nodeTopicConfigs());
            ProducerRecord<String, String> withHeader = new ProducerRecord<>(b, "k", "b-0");
            withHeader.headers().add("own", "kept".getBytes(StandardCharsets.UTF_8));
            plain.send(withHeader).get();
            tx.beginTransaction();
            tx.send(new ProducerRecord<>(b, "k", "b-1"));
            tx.commitTransaction();

            // Then each committed record is copied once, with its own headers and its source position
            List<ConsumerRecord<byte[], byte[]>> copies = awaitCopies(kafka, topics, 3);
            assertThat(copies).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactlyInAnyOrder("a-0", "b-0", "b-1");
            ConsumerRecord<byte[], byte[]> b0 = copies.stream()
                .filter(r -> new String(r.value(), StandardCharsets.UTF_8).equals("b-0")).findFirst().orElseThrow();
            assertThat(HandoffHeaders.text(b0.headers(), "own")).isEqualTo("kept");
            assertThat(HandoffHeaders.text(b0.headers(), HandoffHeaders.TOPIC)).isEqualTo(b);
            assertThat(HandoffHeaders.text(b0.headers(), HandoffHeaders.PARTITION)).isEqualTo("0");
            assertThat(HandoffHeaders.text(b0.headers(), HandoffHeaders.OFFSET)).isEqualTo("0");
            // And its group has committed past them (the group the replayer's trim guard reads)
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(
                TopologyGroups.relayGroup(settings.applicationId())).partitionsToOffsetAndMetadata().get();
            assertThat(committed.get(new TopicPartition(a, 0)).offset()).isGreaterThanOrEqualTo(1);
            assertThat(committed.get(new TopicPartition(b, 0)).offset()).isGreaterThanOrEqualTo(2);

            // When the relay restarts with the same instance id and one more record arrives
            relay.close();
            plain.send(new ProducerRecord<>(a, "k", "a-1")).get();
            relay = relay(settings, instance);
            try {
                // Then only the new record is copied: nothing twice
                List<ConsumerRecord<byte[], byte[]>> all = awaitCopies(kafka, topics, 4);
                assertThat(all).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                    .containsExactlyInAnyOrder("a-0", "b-0", "b-1", "a-1");
            } finally {
                relay.close();
            }
        }
    }

    @Test
    void shouldDeleteTheCopiesTheTopologyHasCommittedPast() throws Exception {
        // Given three copies made by a running relay
        String a = topics.node("node-a:1");
        try (Admin admin = Admin.create(kafka.admin());
             KafkaProducer<String, String> plain = producer(kafka, null)) {
            TopicAdmin.ensureFixed(admin, topics, TopicAdmin.TopicSettings.single());
            TopicAdmin.ensure(admin, a, TopicAdmin.TopicSettings.single(), TopicAdmin.nodeTopicConfigs());
            EnqueueRelay relay = new EnqueueRelay(settings, UUID.randomUUID().toString(), TopologyMetrics.none(),
                Clock.systemUTC(), Duration.ofMillis(200), KafkaClientSupplier.real());
            relay.start();
            try {
                for (int i = 0; i < 3; i++) {
                    plain.send(new ProducerRecord<>(a, "k", "a-" + i)).get();
                }
                awaitCopies(kafka, topics, 3);
                TopicPartition copies = new TopicPartition(topics.enqueued(), 0);
                assertThat(logStart(admin, copies)).isZero();

                // When the topology's Streams group has committed two of them
                admin.alterConsumerGroupOffsets(settings.applicationId(), Map.of(copies, new OffsetAndMetadata(2))).all().get();

                // Then the relay deletes those two, and keeps the one not read yet
                await().atMost(WAIT).untilAsserted(() -> assertThat(logStart(admin, copies)).isEqualTo(2));
            } finally {
                relay.close();
            }
        }
    }

    private EnqueueRelay relay(TopologySettings settings, String instance) {
        EnqueueRelay relay = new EnqueueRelay(settings, instance, TopologyMetrics.none(), Clock.systemUTC(),
            EnqueueRelay.PURGE_INTERVAL, KafkaClientSupplier.real());
        relay.start();
        await().atMost(WAIT).until(relay::isRunning);
        return relay;
    }

    private static KafkaProducer<String, String> producer(KafkaSettings kafka, String transactionalId) {
        Map<String, Object> config = kafka.producer(transactionalId == null ? "relay-it" : transactionalId);
        if (transactionalId != null) {
            config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    /** Reads the copies topic from the start, read_committed, until {@code n} copies are there; fails on more. */
    private static List<ConsumerRecord<byte[], byte[]>> awaitCopies(KafkaSettings kafka, Topics topics, int n) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(kafka.consumer(null, "relay-it-reader"),
            new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topics.enqueued(), 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            await().atMost(WAIT).untilAsserted(() -> {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
                assertThat(out).hasSizeGreaterThanOrEqualTo(n);
            });
            // Anything beyond n committed within another second would be a second copy
            long until = System.currentTimeMillis() + 1_000;
            while (System.currentTimeMillis() < until) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        assertThat(out).as("copies").hasSize(n);
        return out;
    }

    private static long logStart(Admin admin, TopicPartition tp) throws Exception {
        return admin.listOffsets(Map.of(tp, OffsetSpec.earliest())).partitionResult(tp).get().offset();
    }
}
