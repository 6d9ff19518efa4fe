package dev.handoff.replayer.internals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.protocol.Completion;
import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.Health;
import dev.handoff.protocol.NodeStatus;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.common.HandoffHeaders;
import dev.handoff.protocol.common.KafkaSettings;
import dev.handoff.protocol.json.Codecs;
import dev.handoff.replayer.ReplayerSettings;
import dev.handoff.testkit.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** How the scheduler moves a replaced node's records ({@code handoff retarget}): what each transaction carries. */
class RetargetSchedulerTest {
    private static final Topics TOPICS = Topics.defaults();
    private static final String OLD = TestRecords.NODE;
    private static final String NEW = "datanode-9:17912";
    private static final TopicPartition TP = new TopicPartition(TOPICS.node(OLD), 0);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final Map<String, NodeStatus> statuses = new HashMap<>();
    private final Set<String> topics = new HashSet<>();
    private final List<Pending> started = new ArrayList<>();
    private final ReplayerSettings settings = ReplayerSettings.builder(KafkaSettings.of("localhost:9092"))
        .instanceId("r1").maxInFlightPerNode(2).adaptiveConcurrency(false).build();
    private final Scheduler scheduler = new Scheduler(settings, statuses::get,
        new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(8), 2, () -> 0.0), clock,
        new MicrometerReplayerMetrics(new SimpleMeterRegistry()), (p, n, cb) -> started.add(p));

    RetargetSchedulerTest() {
        scheduler.topicExists(topics::contains);
        scheduler.assigned(List.of(TP));
    }

    private static NodeStatus status(String node, Health health, String retargetTo) {
        return new NodeStatus(node, health, false, null, 1, 1, null, 1, null, retargetTo);
    }

    private void accept(long offset, EnqueueRecord record) {
        scheduler.accept(new ConsumerRecord<>(TP.topic(), TP.partition(), offset, "group1/3", Codecs.ENQUEUE.encode(record)));
    }

    @Test
    void shouldMoveADownNodesRecordsToItsReplacementInTheTransactionThatCompletesThem() throws Exception {
        // Given two records for OLD, which is down and retargeted to NEW, whose topic exists
        statuses.put(OLD, status(OLD, Health.DOWN, NEW));
        topics.add(TOPICS.node(NEW));
        accept(0, TestRecords.record(1, 1000, null));
        accept(1, TestRecords.record(2, 1000, null));

        // When the scheduler runs
        scheduler.dispatch();

        // Then nothing is delivered to OLD: one transaction completes both RETARGETED to NEW and enqueues each for NEW
        assertThat(started).isEmpty();
        Batch batch = scheduler.drain(tp -> true);
        assertThat(batch.completions()).hasSize(2).allSatisfy(c -> {
            assertThat(c.node()).isEqualTo(OLD);
            assertThat(c.outcome()).isEqualTo(Completion.Outcome.RETARGETED);
            assertThat(c.retargetedTo()).isEqualTo(NEW);
        });
        assertThat(batch.produced()).hasSize(2);
        ProducerRecord<String, byte[]> copy = batch.produced().get(0);
        assertThat(copy.topic()).isEqualTo(TOPICS.node(NEW));
        assertThat(copy.key()).isEqualTo("group1/3");
        EnqueueRecord moved = Codecs.ENQUEUE.decode(copy.value());
        assertThat(moved.node()).isEqualTo(NEW);
        assertThat(moved.targets()).containsExactly(OLD, NEW);
        assertThat(moved.part()).isEqualTo(TestRecords.record(1, 1000, null).part());
        assertThat(new String(copy.headers().lastHeader(HandoffHeaders.RETARGETED_FROM).value(), StandardCharsets.UTF_8))
            .isEqualTo(OLD);
        assertThat(batch.offsets().get(TP).offset()).isEqualTo(2);
    }

    @Test
    void shouldNotCopyABundleTheReplacementIsATargetOfAlready() throws Exception {
        // Given a record for OLD whose bundle was enqueued for NEW too
        statuses.put(OLD, status(OLD, Health.UP, NEW));
        topics.add(TOPICS.node(NEW));
        EnqueueRecord base = TestRecords.record(1, 1000, null);
        accept(0, new EnqueueRecord(OLD, List.of(OLD, NEW), base.liaison(), base.source(), base.group(), base.shard(),
            base.partId(), base.types(), base.bytes(), base.enqueuedAt(), null));

        // When the scheduler runs
        scheduler.dispatch();

        // Then it is completed RETARGETED with no copy (NEW has its own record) and not delivered to OLD, though it is up
        assertThat(started).isEmpty();
        Batch batch = scheduler.drain(tp -> true);
        assertThat(batch.completions()).singleElement().satisfies(c -> assertThat(c.retargetedTo()).isEqualTo(NEW));
        assertThat(batch.produced()).isEmpty();
    }

    @Test
    void shouldHoldTheRecordsWhileTheReplacementsTopicIsMissingAndMoveThemOnceItExists() throws Exception {
        // Given a record for OLD retargeted to NEW, whose topic does not exist
        statuses.put(OLD, status(OLD, Health.DOWN, NEW));
        accept(0, TestRecords.record(1, 1000, null));

        // When the scheduler runs, nothing is moved or delivered
        scheduler.dispatch();
        assertThat(started).isEmpty();
        assertThat(scheduler.drain(tp -> true).isEmpty()).isTrue();

        // When NEW's topic appears, the record moves
        topics.add(TOPICS.node(NEW));
        scheduler.dispatch();
        assertThat(scheduler.drain(tp -> true).produced()).singleElement()
            .satisfies(r -> assertThat(r.topic()).isEqualTo(TOPICS.node(NEW)));
    }

    @Test
    void shouldFollowAChainOfReplacementsAndHoldTheRecordsOfALoop() throws Exception {
        // Given OLD retargeted to NEW, and NEW itself to NEWER
        String newer = "datanode-10:17912";
        statuses.put(OLD, status(OLD, Health.DOWN, NEW));
        statuses.put(NEW, status(NEW, Health.DOWN, newer));
        topics.add(TOPICS.node(NEW));
        topics.add(TOPICS.node(newer));
        accept(0, TestRecords.record(1, 1000, null));
        // When the scheduler runs, the record goes to the end of the chain
        scheduler.dispatch();
        assertThat(scheduler.drain(tp -> true).completions()).singleElement()
            .satisfies(c -> assertThat(c.retargetedTo()).isEqualTo(newer));

        // When NEWER is retargeted back to OLD (a loop), the next record waits instead of going round
        statuses.put(newer, status(newer, Health.UP, OLD));
        accept(1, TestRecords.record(2, 1000, null));
        scheduler.dispatch();
        assertThat(started).isEmpty();
        assertThat(scheduler.drain(tp -> true).isEmpty()).isTrue();
    }

    @Test
    void shouldTruncateRatherThanMoveARecordTheOperatorTruncated() throws Exception {
        // Given a record enqueued at 1000 for OLD, truncated before 5000 and retargeted
        statuses.put(OLD, new NodeStatus(OLD, Health.DOWN, false, 5000L, 1, 1, null, 1, null, NEW));
        topics.add(TOPICS.node(NEW));
        accept(0, TestRecords.record(1, 1000, null));
        // When the scheduler runs
        scheduler.dispatch();
        // Then it is TRUNCATED, not copied
        Batch batch = scheduler.drain(tp -> true);
        assertThat(batch.completions()).extracting(Completion::outcome).containsExactly(Completion.Outcome.TRUNCATED);
        assertThat(batch.produced()).isEmpty();
    }
}
