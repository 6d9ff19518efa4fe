package dev.handoff.replayer.internals;

import dev.handoff.protocol.common.Daemons;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits the complete prefix of the partitions asked for in one transaction, with the offsets of {@link GroupOffsets},
 * and keeps the batches a rebalance refused (per partition) to commit them again, with the same producer, in the next
 * transaction of their partition.
 *
 * <p>The periodic transaction runs on a commit thread of its own ({@link #maybeCommit}), one at a time so offsets stay
 * in order, and the poll thread goes on starting deliveries meanwhile. A commit the poll thread ran itself held them
 * all up for as long as it took: tens of milliseconds of every hundred under load, and the whole commit timeout when a
 * broker died under it. Transactions that must be done before the poll thread goes on (a revocation, a stop) run on the
 * poll thread, after the periodic one has finished. Everything but the transaction itself is done on the poll thread.
 */
final class Commits implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(Commits.class);
    /** Completions are committed at most this often, so one transaction carries many of them. */
    static final long INTERVAL_MILLIS = 100;

    private final Scheduler scheduler;
    private final LogStartAdvancer advancer;
    private final GroupOffsets offsets;
    /** Batches a rebalance refused, per partition. A partition given up drops its carried batch. */
    private final Map<TopicPartition, Batch> carried = new HashMap<>();
    private final ExecutorService committing = Executors.newSingleThreadExecutor(Daemons.factory("handoff-replayer-commit"));
    /** How long the poll thread waits for the running transaction when it must (the producer bounds it anyway). */
    private final Duration waitLimit;
    /** The periodic transaction on the commit thread, until the poll thread has settled its result; or null. */
    private Running running;
    private long lastStartMillis;

    /**
     * What one transaction carries: per partition and in all, and the ownership ({@link Scheduler#epochOf}) of each
     * partition it was drained from. A result is applied only to the same ownership: a partition lost and assigned
     * again while the transaction ran polls its records again, and a refused batch carried into it would commit
     * their completions a second time.
     */
    private record Drained(Map<TopicPartition, Batch> parts, Batch batch, Map<TopicPartition, Long> epochs) {
    }

    private record Running(Drained drained, Future<?> done) {
    }

    /** {@code commitTimeout} bounds each transaction step of the producer (its max.block.ms). */
    Commits(Scheduler scheduler, LogStartAdvancer advancer, GroupOffsets.Reader reader, Duration commitTimeout) {
        this.scheduler = scheduler;
        this.advancer = advancer;
        this.offsets = new GroupOffsets(scheduler, reader);
        this.waitLimit = commitTimeout.plusSeconds(5);
    }

    /** Newly assigned partitions: each gets its log start committed by the next transaction if it has no offset. */
    void assigned(Collection<TopicPartition> partitions) {
        offsets.assigned(partitions);
    }

    /**
     * Called every iteration: applies the result of the periodic transaction once it has finished, and starts the next
     * one (what is complete of every partition) when none runs and the interval has passed since the last start.
     *
     * @throws TransactionalCommitter.CommitAbortedException when the finished transaction failed for another reason
     *     than a rebalance: the caller rejoins with fresh clients
     */
    void maybeCommit(long nowMillis, TransactionalCommitter committer, ConsumerGroupMetadata group)
        throws TransactionalCommitter.CommitAbortedException {
        if (running != null && running.done().isDone()) {
            settle();
        }
        if (running != null || nowMillis - lastStartMillis < INTERVAL_MILLIS) {
            return;
        }
        lastStartMillis = nowMillis;
        Drained d = collect(tp -> true);
        if (!d.batch().isEmpty()) {
            running = new Running(d, committing.submit(() -> {
                committer.commit(d.batch(), group);
                return null;
            }));
        }
    }

    /**
     * Commits what is complete of the partitions {@code which} accepts, with what was carried for them, on the poll
     * thread, once the periodic transaction has finished.
     *
     * @throws TransactionalCommitter.CommitAbortedException as {@link #maybeCommit}
     */
    void commit(Predicate<TopicPartition> which, TransactionalCommitter committer, ConsumerGroupMetadata group)
        throws TransactionalCommitter.CommitAbortedException {
        if (running != null) {
            settle();
        }
        Drained d = collect(which);
        if (d.batch().isEmpty()) {
            return;
        }
        try {
            committer.commit(d.batch(), group);
        } catch (TransactionalCommitter.CommitAbortedException e) {
            refused(e, d);
            return;
        }
        committed(d);
    }

    /** Waits for the periodic transaction (within the wait limit) and applies its result. */
    private void settle() throws TransactionalCommitter.CommitAbortedException {
        Running r = running;
        running = null;
        try {
            r.done().get(waitLimit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TransactionalCommitter.CommitAbortedException aborted) {
                refused(aborted, r.drained());
                return;
            }
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new TransactionalCommitter.CommitAbortedException("transaction of "
                + r.drained().batch().completions().size() + " completions did not end within " + waitLimit, e, false);
        }
        committed(r.drained());
    }

    /** Drains what is complete of the partitions {@code which} accepts, with what was carried for them, per partition. */
    private Drained collect(Predicate<TopicPartition> which) {
        Map<TopicPartition, Batch> parts = scheduler.drainByPartition(which);
        carried.entrySet().removeIf(e -> {
            if (!which.test(e.getKey())) {
                return false;
            }
            parts.merge(e.getKey(), e.getValue(), (fresh, older) -> older.followedBy(fresh));
            return true;
        });
        offsets.addTo(which, parts);
        Batch batch = Batch.of(parts.values());
        Map<TopicPartition, Long> epochs = new HashMap<>();
        batch.offsets().keySet().forEach(tp -> epochs.put(tp, scheduler.epochOf(tp)));
        return new Drained(parts, batch, epochs);
    }

    /** Whether {@code tp} is still owned as it was when {@code d} was drained. */
    private boolean sameOwnership(Drained d, TopicPartition tp) {
        long epoch = scheduler.epochOf(tp);
        return epoch >= 0 && epoch == d.epochs().getOrDefault(tp, -1L);
    }

    /**
     * A transaction failed: rethrown unless a rebalance refused it. Then its batches are kept and committed again
     * after the next poll has completed the rebalance, instead of rejoining with fresh clients and sending every
     * delivery of them again; the batches of partitions given up meanwhile go (their new owner delivers them again).
     */
    private void refused(TransactionalCommitter.CommitAbortedException e, Drained d)
        throws TransactionalCommitter.CommitAbortedException {
        if (!e.refusedByRebalance()) {
            throw e;
        }
        d.parts().forEach((tp, b) -> {
            if (sameOwnership(d, tp)) {
                carried.merge(tp, b, Batch::followedBy);
            }
        });
        LOGGER.atWarn().addKeyValue("completions", d.batch().completions().size()).addKeyValue("error", e.getCause().toString())
            .log("a rebalance refused the transaction; its completions are committed again after it");
    }

    /** A transaction committed: the offsets of the partitions still owned as they were are the group's. */
    private void committed(Drained d) {
        d.batch().offsets().forEach((tp, o) -> {
            if (sameOwnership(d, tp)) {
                advancer.committed(tp, o.offset());
                offsets.committed(tp, o.offset());
            }
        });
        LOGGER.atDebug().addKeyValue("completions", d.batch().completions().size())
            .addKeyValue("produced", d.batch().produced().size()).log("transaction committed");
    }

    /** Partitions another member owns now: it delivers their uncommitted records again (answered DUPLICATE). */
    void forget(Collection<TopicPartition> partitions) {
        carried.keySet().removeAll(partitions);
        offsets.forget(partitions);
        scheduler.removed(partitions);
        partitions.forEach(advancer::forget);
    }

    /**
     * The clients are being replaced: waits for the periodic transaction to end (the producer is not closed under it)
     * and logs a failure (its records are delivered again after the rejoin), then drops every partition's state and
     * every carried batch. The next clients' first transaction is not held back by the interval.
     */
    void clear() {
        if (running != null) {
            try {
                settle();
            } catch (TransactionalCommitter.CommitAbortedException | RuntimeException e) {
                LOGGER.atWarn().addKeyValue("error", e.toString())
                    .log("the transaction under way when the clients were replaced failed; its records are delivered again");
            }
        }
        scheduler.removed(Set.copyOf(scheduler.owned()));
        carried.clear();
        offsets.clear();
        lastStartMillis = 0;
    }

    @Override
    public void close() {
        committing.shutdown();
    }
}
