package dev.handoff.replayer.internals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.common.KafkaSettings;
import dev.handoff.protocol.json.Codecs;
import dev.handoff.replayer.ReplayerSettings;
import dev.handoff.testkit.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of hostile value on a node topic is parked ({@code invalid-record}, original bytes, the
 * reason in a header) and never delivered; the record after it still is.
 */
class HostileRecordsTest {
    private static final Topics TOPICS = Topics.defaults();
    private static final TopicPartition TP = new TopicPartition(TOPICS.node(TestRecords.NODE), 0);
    private static final String GOOD = new String(Codecs.ENQUEUE.encode(TestRecords.record(1, 1000, null)),
        StandardCharsets.UTF_8);

    private final List<Pending> started = new ArrayList<>();
    private final Scheduler scheduler = new Scheduler(
        ReplayerSettings.builder(KafkaSettings.of("localhost:9092")).instanceId("r1").build(), n -> null,
        new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(8), 2, () -> 0.0),
        new MutableClock(Instant.parse("2026-01-01T00:00:00Z")),
        new MicrometerReplayerMetrics(new SimpleMeterRegistry()), (p, n, cb) -> started.add(p));

    static Stream<Arguments> hostileValues() {
        return Stream.of(
            Arguments.of("bad JSON", bytes("{\"v\":1, not json")),
            Arguments.of("unknown v", edit(s -> s.replace("\"v\":1", "\"v\":2"))),
            Arguments.of("missing field", edit(s -> s.replace("\"source\":\"liaison-1:9000\",", ""))),
            Arguments.of("partId not 16 hex digits", edit(s -> s.replaceFirst("\"partId\":\"[0-9a-f]{16}\"", "\"partId\":\"12345\""))),
            Arguments.of("group with ../", edit(s -> s.replace("\"group1\"", "\"../etc\""))),
            Arguments.of("group with /", edit(s -> s.replace("\"group1\"", "\"a/b\""))),
            Arguments.of("file name with NUL", edit(s -> s.replace("\"data.bin\"", "\"data\\u0000.bin\""))),
            Arguments.of("type of 129 characters", edit(s -> s.replace("\"core\"", "\"" + "c".repeat(129) + "\""))),
            Arguments.of("node not host:port", edit(s -> s.replace("\"node\":\"datanode-1:17912\"", "\"node\":\"datanode-1\""))),
            Arguments.of("source not host:port", edit(s -> s.replace("\"liaison-1:9000\"", "\"liaison-1\""))),
            Arguments.of("bytes not the sum of sizes", edit(s -> s.replaceFirst("\"bytes\":\\d+", "\"bytes\":1"))),
            Arguments.of("node and targets of another topic", edit(s -> s.replace("datanode-1:17912", "evil:17912"))),
            Arguments.of("null value", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileValues")
    void shouldParkAHostileValueAndDeliverTheRecordAfterIt(String kind, byte[] value) {
        // Given a hostile value followed by a good record on a node topic
        scheduler.assigned(List.of(TP));
        scheduler.accept(new ConsumerRecord<>(TP.topic(), 0, 0, "group1/3", value));
        scheduler.accept(new ConsumerRecord<>(TP.topic(), 0, 1, "group1/3", bytes(GOOD)));

        // When the scheduler dispatches
        scheduler.dispatch();

        // Then only the good record is started, towards the topic's node
        assertThat(started).hasSize(1);
        assertThat(started.get(0).record.node()).isEqualTo(TestRecords.NODE);
        // And the hostile one is parked unchanged with its reason, its offset committable
        Batch batch = scheduler.drain(tp -> true);
        assertThat(batch.produced()).hasSize(1);
        ProducerRecord<String, byte[]> parked = batch.produced().get(0);
        assertThat(parked.value()).isEqualTo(value);
        assertThat(header(parked, "handoff.reason")).isEqualTo(ParkReason.INVALID_RECORD);
        assertThat(header(parked, "handoff.error")).isNotBlank();
        assertThat(batch.offsets().get(TP).offset()).isEqualTo(1);
    }

    private static byte[] edit(UnaryOperator<String> change) {
        String edited = change.apply(GOOD);
        if (edited.equals(GOOD)) {
            throw new IllegalStateException("the edit changed nothing in " + GOOD);
        }
        return bytes(edited);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String header(ProducerRecord<String, byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
