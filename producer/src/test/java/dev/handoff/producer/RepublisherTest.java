package dev.handoff.producer;

import static dev.handoff.producer.Fixtures.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.common.KafkaSettings;
import dev.handoff.protocol.common.PartLocks;
import dev.handoff.protocol.json.Codecs;
import dev.handoff.testkit.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The enqueue path against a MockProducer: a publish whose send fails keeps the bundle, and the republisher sends it. */
class RepublisherTest {
    private static final String NODE = "dn-1:9420";
    private static final String LIAISON = "l1";

    @TempDir
    Path tmp;

    @Test
    void shouldRepublishABundleWhoseSendFailedOnceKafkaAcceptsAgain() throws Exception {
        // Given an enqueue path whose Kafka client refuses every send (a cluster below min ISR)
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ProducerMetrics metrics = new MicrometerProducerMetrics(registry);
        ProducerSettings settings = ProducerSettings.builder(tmp.resolve("store"), LIAISON, KafkaSettings.of("localhost:9092"))
            .publishTimeout(Duration.ofSeconds(5)).build();
        MockProducer<String, byte[]> kafka = new MockProducer<>(MockKafkaClients.cluster(settings, NODE), true, null, new StringSerializer(),
            new ByteArraySerializer());
        kafka.sendException = new NotEnoughReplicasException("below min.insync.replicas");
        BundleStore store = new BundleStore(new StoreLayout(settings.storeDir(), LIAISON), metrics);
        PartKey part = new PartKey(LIAISON, "g", 1, 42L);
        Bundle bundle = Bundle.of(part, new Bundle.Type("core", Fixtures.typeDir(tmp.resolve("src"), "core",
            Map.of("primary.bin", bytes(100, 1))), Map.of()));
        try (RecordPublisher publisher = new RecordPublisher(settings, metrics, (topic, s, configs, timeout) -> false,
            new MockKafkaClients(generation -> kafka))) {
            MutableClock clock = new MutableClock(Instant.ofEpochMilli(1_000));
            PartLocks locks = new PartLocks(4);
            PublishedMarks marks = new PublishedMarks(store, locks);
            marks.start();
            Enqueuer enqueuer = new Enqueuer(store, new StoreSpace(1 << 20), locks, publisher,
                new EnqueueRecords(() -> "liaison-1:17913", clock, null), node -> { }, clock, Enqueuer.Hooks.NONE, marks);
            Republisher republisher = new Republisher(enqueuer, metrics);

            // When the enqueue's send fails
            assertThatThrownBy(() -> enqueuer.enqueue(bundle, List.of(NODE))).isInstanceOf(PublishException.class);

            // Then the bundle stays stored, waiting, with its target not published; a round while Kafka still refuses
            // changes nothing
            assertThat(store.get(part)).hasValueSatisfying(m -> assertThat(m.unpublished()).containsExactly(NODE));
            assertThat(enqueuer.unpublishedCount()).isEqualTo(1);
            republisher.runOnce();
            assertThat(enqueuer.unpublishedCount()).isEqualTo(1);

            // When Kafka accepts again and the republisher runs
            kafka.sendException = null;
            republisher.runOnce();

            // Then the record is sent once, the manifest says published, and the republish is counted
            assertThat(kafka.history()).hasSize(1);
            EnqueueRecord sent = Codecs.ENQUEUE.decode(kafka.history().get(0).value());
            assertThat(sent.node()).isEqualTo(NODE);
            assertThat(sent.part()).isEqualTo(part);
            assertThat(sent.source()).isEqualTo("liaison-1:17913");
            assertThat(enqueuer.unpublishedCount()).isZero();
            assertThat(store.get(part)).hasValueSatisfying(m -> assertThat(m.unpublished()).isEmpty());
            marks.close();
            assertThat(new BundleStore(store.layout(), metrics).recover())
                .singleElement().satisfies(m -> assertThat(m.unpublished()).isEmpty());
            assertThat(registry.get("handoff.enqueue.republished").counter().count()).isEqualTo(1.0);
        }
    }

}
