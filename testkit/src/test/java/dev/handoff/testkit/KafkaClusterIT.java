package dev.handoff.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;

/** Proves the fixture gives the rest of the project what it relies on, on a real broker. */
class KafkaClusterIT extends SharedKafkaTest {
    @Test
    void shouldCreateTopicWithExplicitSettings() throws Exception {
        // Given
        String topic = KafkaClusterExtension.unique("explicit");
        try (Admin admin = Admin.create(KAFKA.clientProps())) {
            // When
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1)
                .configs(Map.of("min.insync.replicas", "1", "retention.ms", "-1", "retention.bytes", "-1"))))
                .all().get();

            // Then
            assertThat(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()).hasSize(3);
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            assertThat(config.get("retention.ms").value()).isEqualTo("-1");
            assertThat(config.get("retention.bytes").value()).isEqualTo("-1");
            assertThat(config.get("min.insync.replicas").value()).isEqualTo("1");
        }
    }

    @Test
    void shouldNotAutoCreateTopics() throws Exception {
        // Given a topic nobody created
        String topic = KafkaClusterExtension.unique("never-created");
        // When a consumer asks for its metadata
        try (KafkaConsumer<String, String> consumer = consumer(null, "read_committed")) {
            consumer.partitionsFor(topic, Duration.ofSeconds(2));
        } catch (org.apache.kafka.common.errors.TimeoutException expected) {
            // older clients time out instead of answering empty
        }
        // Then it still does not exist (the embedded broker disables auto-creation, like production should)
        if (KAFKA.cluster().mode() == KafkaCluster.Mode.EMBEDDED) {
            try (Admin admin = Admin.create(KAFKA.clientProps())) {
                assertThat(admin.listTopics().names().get()).doesNotContain(topic);
            }
        }
    }

    @Test
    void shouldCommitOffsetsAndOutputInOneTransaction() throws Exception {
        // Given an input topic with three records
        String in = KafkaClusterExtension.unique("tx-in");
        String out = KafkaClusterExtension.unique("tx-out");
        String group = KafkaClusterExtension.unique("tx-group");
        createTopics(in, out);
        try (KafkaProducer<String, String> plain = producer(null)) {
            for (int i = 0; i < 3; i++) {
                plain.send(new ProducerRecord<>(in, "k" + i, "v" + i)).get();
            }
        }

        // When a transactional consume-process-produce loop handles them
        try (KafkaConsumer<String, String> consumer = consumer(group, "read_committed");
             KafkaProducer<String, String> tx = producer(KafkaClusterExtension.unique("tx-id"))) {
            tx.initTransactions();
            consumer.subscribe(List.of(in));
            List<ConsumerRecord<String, String>> seen = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                return seen.size() >= 3;
            });
            tx.beginTransaction();
            for (ConsumerRecord<String, String> r : seen) {
                tx.send(new ProducerRecord<>(out, r.key(), r.value().toUpperCase()));
            }
            ConsumerRecord<String, String> last = seen.get(seen.size() - 1);
            tx.sendOffsetsToTransaction(
                Map.of(new TopicPartition(in, 0), new OffsetAndMetadata(last.offset() + 1)), consumer.groupMetadata());
            tx.commitTransaction();
        }

        // Then the output and the committed offset are both there
        assertThat(readAll(out, "read_committed", 3)).containsExactly("V0", "V1", "V2");
        try (Admin admin = Admin.create(KAFKA.clientProps())) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            assertThat(committed.get(new TopicPartition(in, 0)).offset()).isEqualTo(3);
        }
    }

    @Test
    void shouldHideAbortedRecordsFromReadCommitted() throws Exception {
        // Given one aborted and one committed transaction
        String topic = KafkaClusterExtension.unique("aborted");
        createTopics(topic);
        try (KafkaProducer<String, String> tx = producer(KafkaClusterExtension.unique("abort-id"))) {
            tx.initTransactions();
            tx.beginTransaction();
            tx.send(new ProducerRecord<>(topic, "k", "aborted")).get();
            tx.abortTransaction();
            tx.beginTransaction();
            tx.send(new ProducerRecord<>(topic, "k", "committed")).get();
            tx.commitTransaction();
        }

        // When / Then: read_committed sees only the committed value; read_uncommitted sees both
        assertThat(readAll(topic, "read_committed", 1)).containsExactly("committed");
        assertThat(readAll(topic, "read_uncommitted", 2)).containsExactly("aborted", "committed");
    }

    @Test
    void shouldAdvanceLogStartWithDeleteRecords() throws Exception {
        // Given five records
        String topic = KafkaClusterExtension.unique("delete");
        createTopics(topic);
        try (KafkaProducer<String, String> plain = producer(null)) {
            for (int i = 0; i < 5; i++) {
                plain.send(new ProducerRecord<>(topic, "k", "v" + i)).get();
            }
        }
        TopicPartition tp = new TopicPartition(topic, 0);
        try (Admin admin = Admin.create(KAFKA.clientProps())) {
            // When the first three are deleted
            admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(3))).all().get();

            // Then the log starts at 3 and a fresh reader sees only the last two
            ListOffsetsResult.ListOffsetsResultInfo earliest =
                admin.listOffsets(Map.of(tp, OffsetSpec.earliest())).partitionResult(tp).get();
            assertThat(earliest.offset()).isEqualTo(3);
        }
        assertThat(readAll(topic, "read_committed", 2)).containsExactly("v3", "v4");
    }

    @Test
    void shouldRunStreamsAppWithExactlyOnceV2() throws Exception {
        // Given an input topic with records
        String in = KafkaClusterExtension.unique("streams-in");
        String out = KafkaClusterExtension.unique("streams-out");
        createTopics(in, out);
        try (KafkaProducer<String, String> plain = producer(null)) {
            plain.send(new ProducerRecord<>(in, "a", "x")).get();
            plain.send(new ProducerRecord<>(in, "b", "y")).get();
        }
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(in, Consumed.with(Serdes.String(), Serdes.String()).withName("source"))
            .mapValues(v -> v + "!", Named.as("shout"))
            .to(out, Produced.with(Serdes.String(), Serdes.String()).withName("sink"));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, KafkaClusterExtension.unique("eos-app"));
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.STATE_DIR_CONFIG, java.nio.file.Files.createTempDirectory("streams").toString());

        // When the exactly-once app runs
        try (KafkaStreams streams = new KafkaStreams(builder.build(), props)) {
            streams.start();
            // Then a read_committed reader sees its output
            assertThat(readAll(out, "read_committed", 2)).containsExactlyInAnyOrder("x!", "y!");
        }
    }

    private static void createTopics(String... topics) throws Exception {
        try (Admin admin = Admin.create(KAFKA.clientProps())) {
            List<NewTopic> newTopics = new ArrayList<>();
            for (String t : topics) {
                newTopics.add(new NewTopic(t, 1, (short) 1));
            }
            admin.createTopics(newTopics).all().get();
        }
    }

    private static KafkaProducer<String, String> producer(String transactionalId) {
        Map<String, Object> props = new HashMap<>(KAFKA.clientProps());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        if (transactionalId != null) {
            props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> consumer(String group, String isolation) {
        Map<String, Object> props = new HashMap<>(KAFKA.clientProps());
        if (group != null) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    /** Reads a single-partition topic from the start until {@code expected} values arrived. */
    private static List<String> readAll(String topic, String isolation, int expected) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer(null, isolation)) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(Set.of(tp));
            consumer.seekToBeginning(Set.of(tp));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                records.forEach(r -> values.add(r.value()));
                return values.size() >= expected;
            });
            // one more poll: nothing beyond what was expected may show up
            consumer.poll(Duration.ofMillis(300)).forEach(r -> values.add(r.value()));
        }
        return values;
    }
}
