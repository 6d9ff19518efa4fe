package dev.handoff.replayer;

import dev.handoff.protocol.common.Backoff;
import dev.handoff.protocol.common.KafkaFailures;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll thread: owns the group consumer and the transactional producer. Each iteration pauses and
 * resumes partitions by node status, polls, starts deliveries, applies finished ones and commits the
 * complete prefix of every partition in one transaction. On a failed transaction or a fenced producer
 * it drops all state, closes both clients and rejoins (the receiver is idempotent, so redelivering
 * what was in flight is harmless). Everything here runs on the poll thread except {@link #stop()}.
 */
final class ReplayLoop implements Runnable, ConsumerRebalanceListener {
    private static final Logger LOGGER = LoggerFactory.getLogger(ReplayLoop.class);
    private static final Duration POLL = Duration.ofMillis(100);
    /** Longest wait for a finished delivery while some are in flight; a result ends the wait at once. */
    private static final long RESULT_WAIT_MILLIS = 50;
    /** Completions are committed at most this often, so one transaction carries many of them. */
    private static final long COMMIT_INTERVAL_MILLIS = 100;
    private static final long DRAIN_MILLIS = 10_000;

    private final ReplayerSettings settings;
    private final Scheduler scheduler;
    private final NodeStatusTable statuses;
    private final LogStartAdvancer advancer;
    private final Delay delay;
    private final Clock clock;
    private long lastCommitMillis;
    private final Backoff restartBackoff = Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30));
    private KafkaConsumer<String, byte[]> consumer;
    private TransactionalCommitter committer;
    private volatile boolean running = true;
    private volatile boolean ready;
    private volatile String failure;
    /**
     * Batches a rebalance refused, per partition, committed with the next transaction of their partition (poll
     * thread only). A partition given up drops its carried batch.
     */
    private final Map<TopicPartition, Scheduler.Batch> carried = new java.util.HashMap<>();
    /** Set once the completions topic was found: a rejoin does not look again. */
    private boolean checkedTopics;
    private boolean dropOnRevoke;
    private RuntimeException revokeFailure;

    ReplayLoop(ReplayerSettings settings, Scheduler scheduler, NodeStatusTable statuses, LogStartAdvancer advancer,
               Delay delay, Clock clock) {
        this.settings = settings;
        this.scheduler = scheduler;
        this.statuses = statuses;
        this.advancer = advancer;
        this.delay = delay;
        this.clock = clock;
    }

    boolean ready() {
        return ready;
    }

    /** Why the loop stopped for good (a fatal Kafka failure, see {@code KafkaFailures}), or null while it runs. */
    String failure() {
        return failure;
    }

    /** Asks the loop to finish: in-flight deliveries get a short drain, complete work is committed. */
    void stop() {
        running = false;
    }

    @Override
    public void run() {
        int failures = 0;
        while (running) {
            try {
                open();
                if (!checkedTopics && !completionsTopicExists()) {
                    break;
                }
                checkedTopics = true;
                while (running) {
                    iterate();
                    failures = 0;
                }
                drainAndCommit();
            } catch (TransactionalCommitter.CommitAbortedException | KafkaException e) {
                if (KafkaFailures.isFatal(e)) {
                    failure = KafkaFailures.describe("replayer", e);
                    running = false;
                    LOGGER.atError().addKeyValue("error", e.toString()).log(failure);
                    break;
                }
                failures++;
                LOGGER.atWarn().addKeyValue("error", e.toString()).addKeyValue("attempt", failures)
                    .log("replayer lost its transaction or group membership; rejoining with fresh clients");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            } catch (RuntimeException e) {
                // A defect, not a Kafka condition: stop visibly (exit 1 from the CLI) rather than idle as a zombie.
                failure = "replayer stopped: unexpected " + e;
                running = false;
                LOGGER.atError().setCause(e).log(failure);
            } finally {
                closeClients();
            }
            if (running && failures > 0) {
                waitBeforeRejoin(failures);
            }
        }
    }

    /**
     * Whether {@code <prefix>.completions}, which every completion is written to, exists, waiting for it up to
     * {@code --commit-timeout} (a topology or {@code handoff init} may be creating it right now). When it does not,
     * the prefix is wrong or the topics were never created: the replayer stops with that one line (exit 1), rather
     * than idle, ready, on a pattern that matches nothing.
     */
    private boolean completionsTopicExists() throws InterruptedException {
        String topic = settings.topics().completions();
        long deadline = clock.millis() + settings.commitTimeout().toMillis();
        while (running) {
            try {
                List<org.apache.kafka.common.PartitionInfo> infos = consumer.partitionsFor(topic, settings.commitTimeout());
                if (infos != null && !infos.isEmpty()) {
                    return true;
                }
            } catch (org.apache.kafka.common.errors.UnknownTopicOrPartitionException e) {
                LOGGER.atDebug().addKeyValue("topic", topic).log("completions topic not there yet");
            }
            if (clock.millis() >= deadline) {
                failure = "replayer: topic " + topic + " does not exist (waited " + settings.commitTimeout().toSeconds()
                    + " s): is --topic-prefix " + settings.topicPrefix() + " right? `handoff init --topic-prefix "
                    + settings.topicPrefix() + "` creates the topics";
                running = false;
                LOGGER.atError().addKeyValue("topic", topic).log(failure);
                return false;
            }
            Thread.sleep(500);
        }
        return false;
    }

    private void open() {
        Map<String, Object> config = settings.kafka().consumer(settings.groupId(), settings.replayerName());
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        config.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
        // A node topic created later is found within this time.
        config.putIfAbsent(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 5_000);
        dropOnRevoke = false;
        committer = new TransactionalCommitter(settings);
        consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(settings.topics().nodePattern(), this);
        LOGGER.atInfo().addKeyValue("group", settings.groupId()).addKeyValue("instance", settings.instanceId())
            .log("replayer joined");
    }

    private void iterate() throws TransactionalCommitter.CommitAbortedException {
        updatePauses();
        // While deliveries are in flight, do not sit in poll(): their results decide what starts next.
        boolean busy = scheduler.inFlight() > 0;
        for (ConsumerRecord<String, byte[]> r : consumer.poll(busy ? Duration.ZERO : POLL)) {
            scheduler.accept(r);
        }
        if (revokeFailure != null) {
            throw revokeFailure;
        }
        ready = true;
        // Statuses that are not current (a reader that failed or fell behind) could hide a PAUSE or a DOWN.
        boolean current = statuses.current();
        if (current) {
            scheduler.dispatch();
        }
        try {
            scheduler.processResults(scheduler.inFlight() > 0 ? RESULT_WAIT_MILLIS : 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
        if (current) {
            // refill the slots the finished deliveries freed before the next poll
            scheduler.dispatch();
        }
        long now = clock.millis();
        if (now - lastCommitMillis >= COMMIT_INTERVAL_MILLIS) {
            commit(tp -> true);
            lastCommitMillis = now;
        }
        advancer.maybeAdvance();
    }

    /** Pauses partitions of nodes that are down or paused (all of them while the statuses are not current). */
    private void updatePauses() {
        Set<TopicPartition> assignment = consumer.assignment();
        Set<TopicPartition> want = statuses.current() ? scheduler.toPause() : new HashSet<>(assignment);
        want.retainAll(assignment);
        Set<TopicPartition> paused = consumer.paused();
        Set<TopicPartition> toPause = new HashSet<>(want);
        toPause.removeAll(paused);
        Set<TopicPartition> toResume = new HashSet<>(paused);
        toResume.removeAll(want);
        if (!toPause.isEmpty()) {
            consumer.pause(toPause);
        }
        if (!toResume.isEmpty()) {
            consumer.resume(toResume);
        }
    }

    private void commit(Predicate<TopicPartition> which) throws TransactionalCommitter.CommitAbortedException {
        Map<TopicPartition, Scheduler.Batch> parts = scheduler.drainByPartition(which);
        carried.entrySet().removeIf(e -> {
            if (!which.test(e.getKey())) {
                return false;
            }
            parts.merge(e.getKey(), e.getValue(), (fresh, older) -> older.followedBy(fresh));
            return true;
        });
        Scheduler.Batch batch = Scheduler.Batch.of(parts.values());
        if (batch.isEmpty()) {
            return;
        }
        try {
            committer.commit(batch, consumer.groupMetadata());
        } catch (TransactionalCommitter.CommitAbortedException e) {
            if (!e.refusedByRebalance()) {
                throw e;
            }
            // Keep the batch and commit it again after the next poll has completed the rebalance, instead of
            // rejoining with fresh clients and sending every delivery of it again.
            carried.putAll(parts);
            LOGGER.atWarn().addKeyValue("completions", batch.completions().size()).addKeyValue("error", e.getCause().toString())
                .log("a rebalance refused the transaction; its completions are committed again after it");
            return;
        }
        batch.offsets().forEach((tp, o) -> advancer.committed(tp, o.offset()));
        LOGGER.atDebug().addKeyValue("completions", batch.completions().size())
            .addKeyValue("parked", batch.parked().size()).log("transaction committed");
    }

    /** Gives in-flight deliveries a short time to finish, then commits what is complete. */
    private void drainAndCommit() throws TransactionalCommitter.CommitAbortedException, InterruptedException {
        long deadline = clock.millis() + Math.min(DRAIN_MILLIS, settings.sessionTimeout().toMillis());
        while (scheduler.inFlight() > 0 && clock.millis() < deadline) {
            scheduler.processResults(100);
        }
        commit(tp -> true);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        scheduler.assigned(partitions);
        if (!partitions.isEmpty()) {
            LOGGER.atInfo().addKeyValue("partitions", partitions.size()).log("partitions assigned");
        }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        if (!dropOnRevoke && revokeFailure == null) {
            Set<TopicPartition> revoked = new HashSet<>(partitions);
            try {
                commit(revoked::contains);
            } catch (TransactionalCommitter.CommitAbortedException e) {
                revokeFailure = new KafkaException("commit of revoked partitions failed", e);
            }
        }
        forget(partitions);
        LOGGER.atInfo().addKeyValue("partitions", partitions.size()).log("partitions revoked");
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        forget(partitions);
        LOGGER.atWarn().addKeyValue("partitions", partitions.size()).log("partitions lost");
    }

    private void forget(Collection<TopicPartition> partitions) {
        // Another member owns these now: it delivers their uncommitted records again (answered DUPLICATE).
        carried.keySet().removeAll(partitions);
        scheduler.removed(partitions);
        partitions.forEach(advancer::forget);
    }

    private void closeClients() {
        ready = false;
        dropOnRevoke = true;
        if (consumer != null) {
            try {
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(10)));
            } catch (KafkaException e) {
                LOGGER.atDebug().addKeyValue("error", e.toString()).log("consumer close failed");
            }
            consumer = null;
        }
        if (committer != null) {
            try {
                committer.close();
            } catch (KafkaException e) {
                LOGGER.atDebug().addKeyValue("error", e.toString()).log("producer close failed");
            }
            committer = null;
        }
        scheduler.removed(Set.copyOf(scheduler.owned()));
        carried.clear();
        revokeFailure = null;
    }

    private void waitBeforeRejoin(int failures) {
        try {
            delay.await(restartBackoff.delay(failures));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
