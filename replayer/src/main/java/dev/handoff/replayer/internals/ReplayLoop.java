package dev.handoff.replayer.internals;

import dev.handoff.protocol.common.Backoff;
import dev.handoff.protocol.common.KafkaFailures;
import dev.handoff.protocol.common.KafkaClientSupplier;
import dev.handoff.replayer.ReplayerSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll thread: owns the group consumer and the transactional producer. Each iteration pauses and
 * resumes partitions by node status, polls, starts deliveries, applies finished ones and, every
 * {@value Commits#INTERVAL_MILLIS} ms, starts a transaction of the complete prefix of every partition on the commit
 * thread ({@link Commits}), which does not hold up the next deliveries. On a failed transaction or a fenced producer
 * it drops all state, closes both clients and rejoins (the receiver is idempotent, so redelivering
 * what was in flight is harmless). Everything here runs on the poll thread except {@link #stop()}.
 */
final class ReplayLoop implements Runnable, ConsumerRebalanceListener {
    private static final Logger LOGGER = LoggerFactory.getLogger(ReplayLoop.class);
    private static final Duration POLL = Duration.ofMillis(100);
    /** Polls per iteration at most while they return records (each returns at most max.poll.records). */
    private static final int POLLS_PER_ITERATION = 10;
    /** Longest wait for a finished delivery while some are in flight; a result ends the wait at once. */
    private static final long RESULT_WAIT_MILLIS = 50;
    private static final long DRAIN_MILLIS = 10_000;

    private final ReplayerSettings settings;
    private final KafkaClientSupplier clients;
    private final Scheduler scheduler;
    private final Commits commits;
    private final NodeStatuses statuses;
    private final LogStartAdvancer advancer;
    private final Delay delay;
    private final Clock clock;
    private final Backoff restartBackoff = Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30));
    private Consumer<String, byte[]> consumer;
    private TransactionalCommitter committer;
    private volatile boolean running = true;
    private volatile boolean ready;
    private volatile String failure;
    /** Set once the completions topic was found: a rejoin does not look again. */
    private boolean checkedTopics;
    private boolean dropOnRevoke;
    private RuntimeException revokeFailure;

    ReplayLoop(ReplayerSettings settings, KafkaClientSupplier clients, Scheduler scheduler, NodeStatuses statuses,
               LogStartAdvancer advancer, Delay delay, Clock clock) {
        this.settings = settings;
        this.clients = clients;
        this.scheduler = scheduler;
        this.commits = new Commits(scheduler, advancer, new LogStartReader(() -> consumer, clock), settings.commitTimeout());
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
                if (!checkedTopics) {
                    failure = CompletionsTopic.awaitExists(consumer, settings, clock, () -> running);
                    if (failure != null || !running) {
                        running = false;
                        break;
                    }
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
        commits.close();
    }

    private void open() {
        dropOnRevoke = false;
        committer = new TransactionalCommitter(settings, clients);
        consumer = clients.consumer(ClientConfigs.groupConsumer(settings));
        consumer.subscribe(settings.topics().nodePattern(), this);
        // The pattern subscription's topics are every node topic the consumer's metadata knows.
        Consumer<String, byte[]> mine = consumer;
        scheduler.topicExists(t -> mine.subscription().contains(t));
        LOGGER.atInfo().addKeyValue("group", settings.groupId()).addKeyValue("instance", settings.instanceId())
            .log("replayer joined");
    }

    private void iterate() throws TransactionalCommitter.CommitAbortedException {
        Pauses.apply(consumer, statuses.current() ? scheduler.toPause() : null);
        // While deliveries are in flight, do not sit in poll(): their results decide what starts next. One poll hands
        // out max.poll.records, a few partitions' worth: take what else is fetched (poll(0) does not wait), so every
        // node with fetched records competes in this dispatch, not only the partitions fetched first.
        ConsumerRecords<String, byte[]> polled = consumer.poll(scheduler.inFlight() > 0 ? Duration.ZERO : POLL);
        for (int polls = 1; !polled.isEmpty(); polls++) {
            polled.forEach(scheduler::accept);
            polled = polls < POLLS_PER_ITERATION ? consumer.poll(Duration.ZERO) : ConsumerRecords.empty();
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
        commits.maybeCommit(clock.millis(), committer, consumer.groupMetadata());
        advancer.maybeAdvance();
    }

    /** Gives in-flight deliveries a short time to finish, then commits what is complete. */
    private void drainAndCommit() throws TransactionalCommitter.CommitAbortedException, InterruptedException {
        long deadline = clock.millis() + Math.min(DRAIN_MILLIS, settings.sessionTimeout().toMillis());
        while (scheduler.inFlight() > 0 && clock.millis() < deadline) {
            scheduler.processResults(100);
        }
        commits.commit(tp -> true, committer, consumer.groupMetadata());
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        scheduler.assigned(partitions);
        commits.assigned(partitions);
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
                commits.commit(revoked::contains, committer, consumer.groupMetadata());
            } catch (TransactionalCommitter.CommitAbortedException e) {
                revokeFailure = new KafkaException("commit of revoked partitions failed", e);
            }
        }
        commits.forget(partitions);
        LOGGER.atInfo().addKeyValue("partitions", partitions.size()).log("partitions revoked");
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        commits.forget(partitions);
        LOGGER.atWarn().addKeyValue("partitions", partitions.size()).log("partitions lost");
    }

    private void closeClients() {
        ready = false;
        dropOnRevoke = true;
        // first: it waits for a transaction under way, whose producer is closed below
        commits.clear();
        if (consumer != null) {
            closeQuietly(() -> consumer.close(CloseOptions.timeout(Duration.ofSeconds(10))), "consumer");
            consumer = null;
        }
        if (committer != null) {
            closeQuietly(committer::close, "producer");
            committer = null;
        }
        revokeFailure = null;
    }

    private static void closeQuietly(Runnable close, String what) {
        try {
            close.run();
        } catch (KafkaException e) {
            LOGGER.atDebug().addKeyValue("error", e.toString()).log(what + " close failed");
        }
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
