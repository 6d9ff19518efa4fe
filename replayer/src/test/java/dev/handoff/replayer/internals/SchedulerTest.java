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
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class SchedulerTest {
    private static final Topics TOPICS = Topics.defaults();
    private static final TopicPartition TP = new TopicPartition(TOPICS.node(TestRecords.NODE), 0);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final Map<String, NodeStatus> statuses = new HashMap<>();
    private final List<Started> started = new ArrayList<>();
    private final ReplayerSettings settings = ReplayerSettings.builder(KafkaSettings.of("localhost:9092"))
        .instanceId("r1").maxInFlightPerNode(2).adaptiveConcurrency(false).retryBudget(2).backoff(Duration.ofSeconds(1), Duration.ofSeconds(8)).build();
    private final Scheduler scheduler = new Scheduler(settings, statuses::get,
        new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(8), 2, () -> 0.0), clock,
        new MicrometerReplayerMetrics(new SimpleMeterRegistry()), (p, n, cb) -> started.add(new Started(p, cb)));

    private record Started(Pending pending, Consumer<DeliveryResult> callback) {
    }

    private static ConsumerRecord<String, byte[]> polled(long offset, byte[] value) {
        return new ConsumerRecord<>(TP.topic(), TP.partition(), offset, "group1/3", value);
    }

    private static byte[] value(long partId) {
        EnqueueRecord r = TestRecords.record(partId, 1000, null);
        return Codecs.ENQUEUE.encode(r);
    }

    /** One record on {@link #TP} whose first {@code times} deliveries end in {@code result}, the clock 8 s on after each. */
    private void deliverOneRecordFailing(int times, DeliveryResult result) throws InterruptedException {
        scheduler.assigned(List.of(TP));
        scheduler.accept(polled(0, value(1)));
        for (int i = 0; i < times; i++) {
            scheduler.dispatch();
            finish(i, result);
            clock.advance(Duration.ofSeconds(8));
        }
    }

    /** Moves the clock on by {@code millis}, runs a dispatch round, and expects {@code total} deliveries started in all. */
    private void dispatchAfter(long millis, int total) {
        clock.advance(Duration.ofMillis(millis));
        scheduler.dispatch();
        assertThat(started).as("deliveries started after %d ms more", millis).hasSize(total);
    }

    private void finish(int index, DeliveryResult result) throws InterruptedException {
        started.get(index).callback().accept(result);
        scheduler.processResults(0);
    }

    @Test
    void shouldParkAnUnreadableRecordWithoutBlockingTheOnesAfterIt() throws Exception {
        // Given a bad record between two good ones
        scheduler.assigned(List.of(TP));
        scheduler.accept(polled(0, value(1)));
        scheduler.accept(polled(1, "{oops".getBytes(StandardCharsets.UTF_8)));
        scheduler.accept(polled(2, value(2)));

        // When both good ones are delivered
        scheduler.dispatch();
        assertThat(started).hasSize(2);
        finish(1, new DeliveryResult.Completed(Completion.Outcome.DUPLICATE));
        finish(0, new DeliveryResult.Completed(Completion.Outcome.DELIVERED));

        // Then one transaction holds the parked record, two completions and offset 3
        Batch batch = scheduler.drain(tp -> true);
        assertThat(batch.produced()).hasSize(1);
        assertThat(batch.completions()).extracting(Completion::outcome)
            .containsExactly(Completion.Outcome.DELIVERED, Completion.Outcome.DUPLICATE);
        assertThat(batch.offsets().get(TP).offset()).isEqualTo(3);
    }

    @Test
    void shouldRetryAfterTheBackoffAndParkWhenTheBudgetIsUsedUp() throws Exception {
        // Given one record whose deliveries are rejected
        scheduler.assigned(List.of(TP));
        scheduler.accept(polled(0, value(1)));
        scheduler.dispatch();
        finish(0, new DeliveryResult.Retry(false, "rejected"));

        // Then it is not retried before its backoff (0.5 s with this random source) has passed
        scheduler.dispatch();
        assertThat(started).hasSize(1);
        dispatchAfter(500, 2);

        // When the second attempt fails too, the budget of 2 is used up
        finish(1, new DeliveryResult.Retry(false, "rejected again"));

        // Then the record is parked with its reason, completed PARKED and committed
        Batch batch = scheduler.drain(tp -> true);
        assertThat(batch.completions()).singleElement().satisfies(c -> {
            assertThat(c.outcome()).isEqualTo(Completion.Outcome.PARKED);
            assertThat(c.attempts()).isEqualTo(2);
        });
        assertThat(new String(batch.produced().get(0).headers().lastHeader(HandoffHeaders.REASON).value(), StandardCharsets.UTF_8))
            .isEqualTo(ParkReason.RETRY_BUDGET);
        assertThat(batch.offsets().get(TP).offset()).isEqualTo(1);
    }

    @Test
    void shouldBackOffTheNodeWithoutUsingUpTheBudgetWhenTheNodeIsUnreachable() throws Exception {
        // Given a node that cannot be reached five times in a row
        deliverOneRecordFailing(5, new DeliveryResult.Retry(true, "connection refused"));

        // Then the record is still retried, not parked
        scheduler.dispatch();
        assertThat(started).hasSize(6);
        assertThat(scheduler.drain(tp -> true).isEmpty()).isTrue();
    }

    @Test
    void shouldNotDeliverToADownNodeAndPauseItsPartitions() {
        // Given a node whose status is DOWN
        statuses.put(TestRecords.NODE, new NodeStatus(TestRecords.NODE, Health.DOWN, false, null, 1, 1, null, 1));
        scheduler.assigned(List.of(TP));
        scheduler.accept(polled(0, value(1)));

        // Then nothing starts; its partition reads ahead a small window of records, then is to be paused
        scheduler.dispatch();
        assertThat(started).isEmpty();
        assertThat(scheduler.toPause()).isEmpty();
        for (long offset = 1; offset < PausePolicy.UNDELIVERABLE_WINDOW; offset++) {
            scheduler.accept(polled(offset, value(offset + 1)));
        }
        scheduler.dispatch();
        assertThat(started).isEmpty();
        assertThat(scheduler.toPause()).containsExactly(TP);

        // When it comes back UP, deliveries start (two in flight at most here) and the partition is resumed
        statuses.put(TestRecords.NODE, new NodeStatus(TestRecords.NODE, Health.UP, false, null, 1, 1, null, 2));
        scheduler.dispatch();
        assertThat(started).hasSize(2);
        assertThat(scheduler.toPause()).isEmpty();
    }

    @Test
    void shouldCompleteTruncatedRecordsWithoutDelivering() {
        // Given a status truncating after the record was enqueued
        statuses.put(TestRecords.NODE, new NodeStatus(TestRecords.NODE, Health.UP, false, 5000L, 1, 1, null, 1));
        scheduler.assigned(List.of(TP));
        scheduler.accept(polled(0, value(1)));

        // When dispatching
        scheduler.dispatch();

        // Then it is completed TRUNCATED without a delivery
        assertThat(started).isEmpty();
        assertThat(scheduler.drain(tp -> true).completions()).extracting(Completion::outcome)
            .containsExactly(Completion.Outcome.TRUNCATED);
    }

    @Test
    void shouldCompleteTheTruncatedRecordsOfANodeThatIsDownAndReadOnWhileTheyComplete() {
        // Given a DOWN node (a decommissioned one, say) whose window of read-ahead records is full
        statuses.put(TestRecords.NODE, new NodeStatus(TestRecords.NODE, Health.DOWN, false, null, 1, 1, null, 1));
        scheduler.assigned(List.of(TP));
        for (long offset = 0; offset < PausePolicy.UNDELIVERABLE_WINDOW; offset++) {
            scheduler.accept(polled(offset, value(offset + 1)));
        }
        scheduler.dispatch();
        assertThat(scheduler.toPause()).containsExactly(TP);

        // When the operator truncates it (every record was enqueued at 1000, before the cut)
        statuses.put(TestRecords.NODE, new NodeStatus(TestRecords.NODE, Health.DOWN, false, 5000L, 1, 1, null, 2));
        scheduler.dispatch();

        // Then the window completes TRUNCATED, undelivered, and once committed the partition reads on
        assertThat(started).isEmpty();
        Batch batch = scheduler.drain(tp -> true);
        assertThat(batch.completions()).hasSize(PausePolicy.UNDELIVERABLE_WINDOW)
            .allSatisfy(c -> assertThat(c.outcome()).isEqualTo(Completion.Outcome.TRUNCATED));
        assertThat(batch.offsets().get(TP).offset()).isEqualTo(PausePolicy.UNDELIVERABLE_WINDOW);
        assertThat(scheduler.toPause()).isEmpty();
    }

    @Test
    void shouldKeepAtMostMaxInFlightPerNode() {
        scheduler.assigned(List.of(TP));
        for (int i = 0; i < 5; i++) {
            scheduler.accept(polled(i, value(i + 1)));
        }

        scheduler.dispatch();

        assertThat(started).hasSize(2);
        assertThat(scheduler.inFlight()).isEqualTo(2);
    }

    @Test
    void shouldIgnoreResultsOfARevokedPartition() throws Exception {
        // Given a delivery in flight when its partition is revoked and assigned again
        scheduler.assigned(List.of(TP));
        scheduler.accept(polled(0, value(1)));
        scheduler.dispatch();
        scheduler.removed(List.of(TP));
        scheduler.assigned(List.of(TP));
        scheduler.accept(polled(0, value(1)));

        // When the old delivery finishes
        finish(0, new DeliveryResult.Completed(Completion.Outcome.DELIVERED));

        // Then it completes nothing of the new ownership, and the in-flight count is back to 0
        assertThat(scheduler.drain(tp -> true).isEmpty()).isTrue();
        assertThat(scheduler.inFlight()).isZero();
    }
    @Test
    void shouldCountTheFailuresOfOneOutageOnce() throws Exception {
        // Given two deliveries in flight to one node (the most the settings allow)
        scheduler.assigned(List.of(TP));
        scheduler.accept(polled(0, value(1)));
        scheduler.accept(polled(1, value(2)));
        scheduler.dispatch();
        assertThat(started).hasSize(2);

        // When the node dies and both fail as unavailable
        finish(0, new DeliveryResult.Retry(true, "UNAVAILABLE"));
        finish(1, new DeliveryResult.Retry(true, "UNAVAILABLE"));

        // Then the backoff is that of one failure (0.5 s with this jitter), not of two (1 s)
        dispatchAfter(499, 2);
        dispatchAfter(2, 4);

        // And a retry started after the backoff that fails again counts again (1 s)
        finish(2, new DeliveryResult.Retry(true, "UNAVAILABLE"));
        finish(3, new DeliveryResult.Retry(true, "UNAVAILABLE"));
        dispatchAfter(999, 4);
        dispatchAfter(2, 6);
    }

    @Test
    void shouldEndTheBackoffAtOnceWhenTheNodesStatusTurnsUpAgain() throws Exception {
        // Given a node backed off after failing three times in a row (2 s of backoff with this jitter)
        statuses.put(TestRecords.NODE, new NodeStatus(TestRecords.NODE, Health.UP, false, null, 1, 1, null, 1));
        scheduler.assigned(List.of(TP));
        scheduler.accept(polled(0, value(1)));
        for (int i = 0; i < 3; i++) {
            scheduler.dispatch();
            finish(i, new DeliveryResult.Retry(true, "UNAVAILABLE"));
            clock.advance(Duration.ofSeconds(i == 2 ? 0 : 8));
        }
        scheduler.dispatch();
        assertThat(started).hasSize(3);

        // When its status goes DOWN and then UP again (the node is serving)
        statuses.put(TestRecords.NODE, new NodeStatus(TestRecords.NODE, Health.DOWN, false, null, 1, 1, null, 2));
        scheduler.dispatch();
        statuses.put(TestRecords.NODE, new NodeStatus(TestRecords.NODE, Health.UP, false, null, 1, 1, null, 3));
        scheduler.dispatch();

        // Then the record is delivered at once, not after the backoff
        assertThat(started).hasSize(4);
    }
    @Test
    void shouldWaitForAnUnreachableSourceWithoutParkingTheRecord() throws Exception {
        // Given a record whose liaison cannot be reached, many more times than the retry budget (2)
        deliverOneRecordFailing(6, new DeliveryResult.SourceUnavailable("source UNAVAILABLE"));

        // Then it is still retried, never parked, and the node was not backed off
        scheduler.dispatch();
        assertThat(started).hasSize(7);
        assertThat(scheduler.drain(tp -> true).isEmpty()).isTrue();
    }

    @Test
    void shouldGiveEveryNodeATurnWhenThereAreFewerThreadsThanNodesWithWork() throws Exception {
        // Given two delivery threads, two in flight allowed per node, and four nodes with a backlog each
        Scheduler fair = twoThreads();
        List<TopicPartition> partitions = new ArrayList<>();
        for (int node = 0; node < 4; node++) {
            partitions.add(new TopicPartition(TOPICS.node("datanode-" + node + ":17912"), 0));
        }
        backlog(fair, partitions, 5);

        // When the replayer starts what its threads allow, and starts again each time both deliveries finished
        List<java.util.Set<String>> rounds = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            java.util.Set<String> nodes = new java.util.TreeSet<>();
            deliverRound(fair).forEach(p -> nodes.add(p.node));
            rounds.add(nodes);
        }

        // Then each round's two deliveries went to two different nodes, and the second round to the two not served yet
        assertThat(rounds).allSatisfy(nodes -> assertThat(nodes).hasSize(2));
        java.util.Set<String> all = new java.util.TreeSet<>(rounds.get(0));
        all.addAll(rounds.get(1));
        assertThat(all).hasSize(4);
    }

    @Test
    void shouldGiveEveryNodeATurnBeforeAnyNodeGetsASecondOneHoweverManyPartitionsItHas() throws Exception {
        // Given two delivery threads and four nodes of four partitions each, assigned node by node (as the
        // assignor lists them), every partition with a backlog
        Scheduler fair = twoThreads();
        List<TopicPartition> partitions = new ArrayList<>();
        for (int node = 0; node < 4; node++) {
            for (int partition = 0; partition < 4; partition++) {
                partitions.add(new TopicPartition(TOPICS.node("datanode-" + node + ":17912"), partition));
            }
        }
        backlog(fair, partitions, 3);

        // When the replayer starts what its threads allow, four times, each time after both deliveries finished
        List<Pending> delivered = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            delivered.addAll(deliverRound(fair));
        }

        // Then the first four deliveries went to the four nodes, and so did the next four: no node's partitions
        // took the threads of the nodes after it; and a node's second turn went to another of its partitions
        List<String> nodes = delivered.stream().map(p -> p.node).toList();
        assertThat(nodes).hasSize(8);
        assertThat(nodes.subList(0, 4)).doesNotHaveDuplicates();
        assertThat(nodes.subList(4, 8)).doesNotHaveDuplicates();
        assertThat(delivered.stream().filter(p -> p.node.equals("datanode-0:17912")).map(p -> p.partition.partition()))
            .hasSize(2).doesNotHaveDuplicates();
    }

    /** A scheduler with two delivery threads whose deliveries go to {@link #started}. */
    private Scheduler twoThreads() {
        ReplayerSettings two = settings.toBuilder().deliveryThreads(2).build();
        return new Scheduler(two, n -> null, new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(8), 2,
            () -> 0.0), clock, new MicrometerReplayerMetrics(new SimpleMeterRegistry()), (p, n, cb) -> started.add(new Started(p, cb)));
    }

    /** Assigns {@code partitions} (in this order) and gives each {@code records} records for its topic's node. */
    private static void backlog(Scheduler s, List<TopicPartition> partitions, int records) {
        s.assigned(partitions);
        for (TopicPartition tp : partitions) {
            String node = TOPICS.nodeOf(tp.topic()).orElseThrow();
            for (long offset = 0; offset < records; offset++) {
                s.accept(new ConsumerRecord<>(tp.topic(), tp.partition(), offset, "group1/3",
                    Codecs.ENQUEUE.encode(TestRecords.record(node, tp.partition() * 10L + offset + 1, 1000, null))));
            }
        }
    }

    /** One dispatch, every delivery it started answered DELIVERED and applied: what it started, in order. */
    private List<Pending> deliverRound(Scheduler s) throws InterruptedException {
        int before = started.size();
        s.dispatch();
        List<Pending> round = new ArrayList<>();
        for (int i = before; i < started.size(); i++) {
            round.add(started.get(i).pending());
            started.get(i).callback().accept(new DeliveryResult.Completed(Completion.Outcome.DELIVERED));
        }
        s.processResults(0);
        return round;
    }

    @Test
    void shouldExpireWaitingRecordsOnceTheirTimeHasPassedIncludingOnesWaitingAgainAfterAFailure() throws Exception {
        // Given two records expiring 5 s after the clock's start: one is delivered and fails, so it waits again
        long start = clock.millis();
        scheduler.assigned(List.of(TP));
        scheduler.accept(polled(0, Codecs.ENQUEUE.encode(TestRecords.record(1, start - 1000, start + 5_000))));
        scheduler.dispatch();
        finish(0, new DeliveryResult.Retry(false, "rejected"));
        statuses.put(TestRecords.NODE, new NodeStatus(TestRecords.NODE, Health.DOWN, false, null, 1, 1, null, 1));
        scheduler.accept(polled(1, Codecs.ENQUEUE.encode(TestRecords.record(2, start - 1000, start + 5_000))));

        // When the scheduler runs before their expiry, nothing is completed
        clock.advance(Duration.ofSeconds(5));
        scheduler.dispatch();
        assertThat(scheduler.drain(tp -> true).isEmpty()).isTrue();

        // When it runs once the expiry has passed, both are completed EXPIRED, neither delivered again
        dispatchAfter(1, 1);
        Batch batch = scheduler.drain(tp -> true);
        assertThat(batch.completions()).extracting(Completion::outcome)
            .containsExactly(Completion.Outcome.EXPIRED, Completion.Outcome.EXPIRED);
        assertThat(batch.offsets().get(TP).offset()).isEqualTo(2);
    }
}
