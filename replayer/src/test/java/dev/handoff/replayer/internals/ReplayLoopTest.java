package dev.handoff.replayer.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handoff.protocol.Completion;
import dev.handoff.protocol.InvalidRecordException;
import dev.handoff.protocol.NodeStatus;
import dev.handoff.protocol.common.KafkaSettings;
import dev.handoff.protocol.json.Codecs;
import dev.handoff.protocol.common.KafkaClientSupplier;
import dev.handoff.replayer.ReplayerSettings;
import dev.handoff.testkit.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The poll thread against {@link MockConsumer} and {@link MockProducer}: what it commits around a rebalance, a failed
 * transaction, a fenced producer and a transaction a rebalance refused. Deliveries complete at once (DELIVERED).
 */
class ReplayLoopTest {
    private final ReplayerSettings settings = ReplayerSettings.builder(KafkaSettings.of("localhost:9092"))
        .instanceId("r1").adaptiveConcurrency(false).build();
    private final String nodeTopic = settings.topics().node(TestRecords.NODE);
    private final TopicPartition p0 = new TopicPartition(nodeTopic, 0);
    private final TopicPartition p1 = new TopicPartition(nodeTopic, 1);
    /** Frozen at 0 the periodic commit never comes (its interval counts from 0); a test moves it to allow one. */
    private final MutableClock clock = new MutableClock(Instant.ofEpochMilli(0));
    private final MockClients clients = new MockClients();
    private final List<Pending> started = new CopyOnWriteArrayList<>();
    private ReplayLoop loop;
    private Thread pollThread;

    @AfterEach
    void stopLoop() throws InterruptedException {
        if (loop != null) {
            loop.stop();
            pollThread.join(Duration.ofSeconds(10).toMillis());
            assertThat(pollThread.isAlive()).as("the poll thread stops").isFalse();
        }
    }

    @Test
    void shouldCommitTheCompletedDeliveriesOfRevokedPartitionsBeforeTheyGo() throws Exception {
        // Given two partitions, and partition 0's two records delivered
        clients.onConsumer = (index, c) -> {
            c.schedulePollTask(() -> assignAndAdd(c, List.of(p0, p1), p0, 2));
            // (a poll that returns nothing ends the iteration's polls: the iteration delivers both)
            c.schedulePollTask(() -> { });
            // When the next iteration's poll revokes partition 0 (the periodic commit never came: the clock stands still)
            c.schedulePollTask(() -> c.rebalance(List.of(p1)));
        };
        startLoop();

        // Then the revocation committed both completions with partition 0's offset, in one transaction
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(committedOffsets(0)).hasSize(1));
        assertThat(committedOffsets(0).get(0)).isEqualTo(Map.of(p0, new OffsetAndMetadata(2)));
        assertThat(completions(0)).extracting(Completion::offset).containsExactly(0L, 1L);
        assertThat(completions(0)).extracting(Completion::outcome).containsOnly(Completion.Outcome.DELIVERED);
        assertThat(clients.consumers.get(0).assignment()).containsExactly(p1);
    }

    @Test
    void shouldGoOnDeliveringWhileATransactionIsUnderWay() throws Exception {
        // Given the first producer's first commit is held until the test lets it go (a slow or dying broker)
        CountDownLatch gate = new CountDownLatch(1);
        clients.firstCommitGate.put(0, gate);
        clients.onConsumer = (index, c) -> {
            c.schedulePollTask(() -> assignAndAdd(c, List.of(p0), p0, 2));
            // (a poll that returns nothing ends the iteration's polls: the iteration delivers both and commits)
            c.schedulePollTask(() -> { });
            // and the next iteration polls two more records
            c.schedulePollTask(() -> addRecords(c, p0, 2, 2));
        };
        clock.advance(Duration.ofSeconds(1));

        // When the loop delivers the first two and commits them
        startLoop();

        // Then the two polled next are delivered while that transaction is still held, and nothing is committed yet
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(started).hasSize(4));
        assertThat(gate.getCount()).isEqualTo(1);
        assertThat(committedOffsets(0)).isEmpty();
        // And once it is let go it commits the first two, and the next transaction (the interval passed) the others
        gate.countDown();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
            assertThat(committedOffsets(0)).containsExactly(Map.of(p0, new OffsetAndMetadata(2))));
        clock.advance(Duration.ofSeconds(1));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(committedOffsets(0))
            .containsExactly(Map.of(p0, new OffsetAndMetadata(2)), Map.of(p0, new OffsetAndMetadata(4))));
        assertThat(completions(0)).extracting(Completion::offset).containsExactly(0L, 1L, 2L, 3L);
        assertThat(clients.producers).hasSize(1);
    }

    @Test
    void shouldNotCarryARefusedTransactionIntoAPartitionLostAndAssignedAgainMeanwhile() throws Exception {
        // Given the first commit is held, then refused by a rebalance (the group's generation moved under it)
        CountDownLatch gate = new CountDownLatch(1);
        clients.firstCommitGate.put(0, gate);
        clients.firstCommitFailure.put(0, new CommitFailedException("injected: the generation moved"));
        clients.onConsumer = (index, c) -> {
            c.schedulePollTask(() -> assignAndAdd(c, List.of(p0), p0, 2));
            // (a poll that returns nothing ends the iteration's polls: the iteration delivers both and commits)
            c.schedulePollTask(() -> { });
            // When, while that transaction is held, partition 0 is lost and assigned again (a broker restart), and
            // the new ownership polls both records again from the committed offset
            c.schedulePollTask(() -> {
                loop.onPartitionsLost(List.of(p0));
                loop.onPartitionsAssigned(List.of(p0));
                c.seek(p0, 0);
                addRecords(c, p0, 0, 2);
            });
        };
        clock.advance(Duration.ofSeconds(1));
        startLoop();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(started).hasSize(4));
        // and the held transaction is then refused
        gate.countDown();

        // Then the refused batch is dropped, not carried into the new ownership: the next transaction commits each
        // record's completion once, with the same producer
        clock.advance(Duration.ofSeconds(1));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
            assertThat(committedOffsets(0)).containsExactly(Map.of(p0, new OffsetAndMetadata(2))));
        assertThat(completions(0)).extracting(Completion::offset).containsExactly(0L, 1L);
        assertThat(clients.producers).hasSize(1);
    }

    @Test
    void shouldCommitTheLogStartOfAnAssignedPartitionWithoutAnOffsetAndLeaveAnExistingOffsetAlone() throws Exception {
        // Given partition 1 with a committed offset of 5 and partition 0 with none, both with log start 0, no records
        clients.onConsumer = (index, c) -> c.schedulePollTask(() -> {
            c.commitSync(Map.of(p1, new OffsetAndMetadata(5)));
            c.rebalance(List.of(p0, p1));
        });
        clock.advance(Duration.ofSeconds(1));

        // When the loop owns them and commits
        startLoop();

        // Then one transaction committed partition 0's log start, and partition 1 was not touched
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
            assertThat(committedOffsets(0)).containsExactly(Map.of(p0, new OffsetAndMetadata(0))));
        clock.advance(Duration.ofSeconds(1));
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).untilAsserted(() ->
            assertThat(committedOffsets(0)).containsExactly(Map.of(p0, new OffsetAndMetadata(0))));
        assertThat(completions(0)).isEmpty();
    }

    @Test
    void shouldAbortAFailedTransactionCommitNothingAndDeliverAgainWithFreshClients() throws Exception {
        // Given the first producer's commit fails
        // When the loop delivers both records and commits
        startLoopWithTwoRecordsFailingTheFirstCommit(new KafkaException("injected: the broker refused the commit"));

        // Then that transaction is aborted with nothing of it visible, and the loop rejoins with new clients,
        // delivers the records again and commits them
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(clients.producers).hasSize(2);
            assertThat(committedOffsets(1)).containsExactly(Map.of(p0, new OffsetAndMetadata(2)));
        });
        ScriptedProducer failed = clients.producers.get(0);
        assertThat(failed.transactionAborted()).isTrue();
        assertThat(failed.history()).isEmpty();
        assertThat(failed.consumerGroupOffsetsHistory()).isEmpty();
        assertThat(failed.closed()).isTrue();
        assertThat(clients.consumers.get(0).closed()).isTrue();
        assertThat(completions(1)).extracting(Completion::offset).containsExactly(0L, 1L);
        assertThat(started).as("each record delivered again after the rejoin").hasSize(4);
        assertThat(loop.failure()).isNull();
    }

    @Test
    void shouldRejoinWithANewProducerWhenTheProducerIsFenced() {
        // Given the first producer is fenced (another incarnation with the same transactional id started)
        clients.onConsumer = (index, c) -> c.schedulePollTask(() -> {
            if (index == 0) {
                clients.producers.get(0).fenceProducer();
            }
            assignAndAdd(c, List.of(p0), p0, 1);
        });
        clock.advance(Duration.ofSeconds(1));

        // When the loop commits its delivery
        startLoop();

        // Then it rejoins with a new producer, which commits what the fenced one could not
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(clients.producers).hasSize(2);
            assertThat(committedOffsets(1)).containsExactly(Map.of(p0, new OffsetAndMetadata(1)));
        });
        assertThat(clients.producers.get(0).history()).isEmpty();
        assertThat(clients.producers.get(0).closed()).isTrue();
        assertThat(clients.consumers).hasSize(2);
        assertThat(loop.failure()).isNull();
    }

    @Test
    void shouldCommitATransactionARebalanceRefusedAgainWithTheSameProducer() throws Exception {
        // Given the first commit is refused by a rebalance (the group's generation moved under the transaction)
        startLoopWithTwoRecordsFailingTheFirstCommit(
            new CommitFailedException("injected: the group rebalanced under the transaction"));
        await().atMost(Duration.ofSeconds(10)).until(() -> !clients.producers.isEmpty()
            && clients.producers.get(0).transactionAborted());

        // When the next commit is due
        clock.advance(Duration.ofSeconds(1));

        // Then the same producer commits the carried batch, without a rejoin and without delivering again
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
            assertThat(committedOffsets(0)).containsExactly(Map.of(p0, new OffsetAndMetadata(2))));
        assertThat(completions(0)).extracting(Completion::offset).containsExactly(0L, 1L);
        assertThat(clients.producers).hasSize(1);
        assertThat(clients.consumers).hasSize(1);
        assertThat(started).hasSize(2);
    }

    /** Starts the loop with two records on p0 and a commit due; the first producer's first commit throws {@code failure}. */
    private void startLoopWithTwoRecordsFailingTheFirstCommit(RuntimeException failure) {
        clients.firstCommitFailure.put(0, failure);
        clients.onConsumer = (index, c) -> c.schedulePollTask(() -> assignAndAdd(c, List.of(p0), p0, 2));
        clock.advance(Duration.ofSeconds(1));
        startLoop();
    }

    /** Fixed statuses: those of {@code byNode} (a node without one counts as up), current as {@code current} says. */
    private record KnownStatuses(Map<String, NodeStatus> byNode, boolean current) implements NodeStatuses {
        @Override
        public NodeStatus get(String node) {
            return byNode.get(node);
        }
    }

    private void startLoop() {
        NodeStatuses allUp = new KnownStatuses(Map.of(), true);
        Scheduler scheduler = new Scheduler(settings, allUp::get, RetryPolicy.of(settings), clock,
            new MicrometerReplayerMetrics(new SimpleMeterRegistry()), (pending, node, onResult) -> {
                started.add(pending);
                onResult.accept(new DeliveryResult.Completed(Completion.Outcome.DELIVERED));
            });
        // The topology guard is off and the interval a year: the advancer never calls its admin client.
        LogStartAdvancer advancer = new LogStartAdvancer(null, "", clock, Duration.ofDays(365).toMillis());
        loop = new ReplayLoop(settings, clients, scheduler, allUp, advancer, new Delay(), clock);
        pollThread = new Thread(loop, "test-poll");
        pollThread.start();
    }

    private void assignAndAdd(MockConsumer<String, byte[]> c, List<TopicPartition> assignment, TopicPartition tp, int records) {
        c.rebalance(assignment);
        addRecords(c, tp, 0, records);
    }

    private void addRecords(MockConsumer<String, byte[]> c, TopicPartition tp, int from, int records) {
        for (int i = from; i < from + records; i++) {
            byte[] value = Codecs.ENQUEUE.encode(TestRecords.record(100 + i, 1000, null));
            c.addRecord(new ConsumerRecord<>(tp.topic(), tp.partition(), i, "group1/3", value));
        }
    }

    private List<Map<TopicPartition, OffsetAndMetadata>> committedOffsets(int producer) {
        return clients.producers.get(producer).consumerGroupOffsetsHistory().stream()
            .flatMap(byGroup -> byGroup.values().stream()).toList();
    }

    private List<Completion> completions(int producer) throws InvalidRecordException {
        List<Completion> out = new ArrayList<>();
        for (ProducerRecord<String, byte[]> r : clients.producers.get(producer).history()) {
            if (r.topic().equals(settings.topics().completions())) {
                out.add(Codecs.COMPLETION.decode(r.value()));
            }
        }
        return out;
    }

    /** Hands out mock clients and keeps them, in creation order. */
    private final class MockClients implements KafkaClientSupplier {
        final List<MockConsumer<String, byte[]>> consumers = new CopyOnWriteArrayList<>();
        final List<ScriptedProducer> producers = new CopyOnWriteArrayList<>();
        /** By producer number: the exception its first commit throws. */
        final Map<Integer, RuntimeException> firstCommitFailure = new ConcurrentHashMap<>();
        /** By producer number: a latch its first commit waits for. */
        final Map<Integer, CountDownLatch> firstCommitGate = new ConcurrentHashMap<>();
        /** Sets up each new consumer (its number, the consumer): schedules what its polls return. */
        volatile BiConsumer<Integer, MockConsumer<String, byte[]>> onConsumer = (i, c) -> { };

        @Override
        public Producer<String, byte[]> producer(Map<String, Object> config) {
            ScriptedProducer p = new ScriptedProducer(firstCommitFailure.get(producers.size()),
                firstCommitGate.get(producers.size()));
            producers.add(p);
            return p;
        }

        @Override
        public Consumer<String, byte[]> consumer(Map<String, Object> config) {
            MockConsumer<String, byte[]> c = new MockConsumer<>("earliest");
            String completions = settings.topics().completions();
            c.updatePartitions(completions, List.of(info(completions, 0)));
            // The node topic stays unknown to the mock: a pattern subscription would assign its partitions at once,
            // without the rebalance listener, where the tests assign them with rebalance().
            c.updateBeginningOffsets(Map.of(p0, 0L, p1, 0L));
            onConsumer.accept(consumers.size(), c);
            consumers.add(c);
            return c;
        }

        @Override
        public Admin admin(Map<String, Object> config) {
            throw new UnsupportedOperationException("the poll thread makes no admin client");
        }

        private PartitionInfo info(String topic, int partition) {
            return new PartitionInfo(topic, partition, null, new Node[0], new Node[0]);
        }
    }

    /** A transactional {@link MockProducer} whose first commit can be made to fail or to wait. */
    private static final class ScriptedProducer extends MockProducer<String, byte[]> {
        private final AtomicReference<RuntimeException> firstCommitFailure;
        private final AtomicReference<CountDownLatch> firstCommitGate;

        ScriptedProducer(RuntimeException firstCommitFailure, CountDownLatch firstCommitGate) {
            super(Cluster.empty(), true, new FirstPartition(), new StringSerializer(), new ByteArraySerializer());
            this.firstCommitFailure = new AtomicReference<>(firstCommitFailure);
            this.firstCommitGate = new AtomicReference<>(firstCommitGate);
        }

        @Override
        public void commitTransaction() {
            CountDownLatch gate = firstCommitGate.getAndSet(null);
            try {
                if (gate != null && !gate.await(30, TimeUnit.SECONDS)) {
                    throw new org.apache.kafka.common.errors.TimeoutException("the test never let the commit go");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaException(e);
            }
            RuntimeException failure = firstCommitFailure.getAndSet(null);
            if (failure != null) {
                throw failure;
            }
            super.commitTransaction();
        }
    }

    /** Every record to partition 0 (the mock has no cluster metadata to partition by). */
    public static final class FirstPartition implements Partitioner {
        @Override
        public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
            return 0;
        }

        @Override
        public void close() {
        }

        @Override
        public void configure(Map<String, ?> configs) {
        }
    }
}
