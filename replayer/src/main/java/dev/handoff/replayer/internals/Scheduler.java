package dev.handoff.replayer.internals;

import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.InvalidRecordException;
import dev.handoff.protocol.NodeStatus;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.json.Codecs;
import dev.handoff.replayer.ReplayerSettings;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery pipeline's ledger: what each owned partition has polled, what waits, what is complete.
 * Starts deliveries on the {@link Dispatcher} within the {@link Limits}, hands their results to
 * {@link Outcomes}, and hands out the contiguous complete prefix of each partition for one transaction.
 * Confined to the poll thread; results come back through a queue.
 */
final class Scheduler {
    private static final Logger LOGGER = LoggerFactory.getLogger(Scheduler.class);
    /** Runs deliveries asynchronously and hands each result to the callback. */
    interface Dispatcher {
        void start(Pending pending, NodeState node, java.util.function.Consumer<DeliveryResult> onResult);
    }

    private record Finished(Pending pending, DeliveryResult result) {
    }

    private final Topics topics;
    private final Function<String, NodeStatus> statuses;
    private final ReplayerMetrics metrics;
    private final Dispatcher dispatcher;
    private final Limits limits;
    private final Outcomes outcomes;
    private final Retargets retargets;
    private final Clock clock;
    private final BlockingQueue<Finished> results = new LinkedBlockingQueue<>();
    private final NodeTurns turns = new NodeTurns();
    /** Owned partitions, least recently served first (see {@link #dispatch}). */
    private final Map<TopicPartition, PartitionState> partitions = new java.util.LinkedHashMap<>();
    private long nextEpoch;

    Scheduler(ReplayerSettings settings, Function<String, NodeStatus> statuses, RetryPolicy retry, Clock clock,
              ReplayerMetrics metrics, Dispatcher dispatcher) {
        this.topics = settings.topics();
        this.statuses = statuses;
        this.clock = clock;
        this.metrics = metrics;
        this.dispatcher = dispatcher;
        this.limits = new Limits(settings, clock, metrics);
        this.outcomes = new Outcomes(settings, retry, clock, metrics);
        this.retargets = new Retargets(topics, statuses);
    }

    /** How to tell whether a node topic exists; until set, none does (nothing is moved). */
    void topicExists(Predicate<String> exists) {
        retargets.topicExists(exists);
    }

    void assigned(Collection<TopicPartition> assigned) {
        for (TopicPartition tp : assigned) {
            String node = topics.nodeOf(tp.topic()).orElse(tp.topic());
            partitions.put(tp, new PartitionState(tp, node, ++nextEpoch));
        }
    }

    /** Forgets partitions (revoked or lost): their waiting records are dropped, results of their in-flight ones ignored. */
    void removed(Collection<TopicPartition> removed) {
        removed.forEach(partitions::remove);
        turns.retain(partitions.values());
    }

    Set<TopicPartition> owned() {
        return partitions.keySet();
    }

    /** Which ownership of {@code tp} this is (a partition lost and assigned again gets a new one), or -1 if not owned. */
    long epochOf(TopicPartition tp) {
        PartitionState p = partitions.get(tp);
        return p == null ? -1 : p.epoch;
    }

    /** True when every record polled from {@code tp} so far is committed or in a drained batch (none outstanding). */
    boolean idle(TopicPartition tp) {
        PartitionState p = partitions.get(tp);
        return p != null && p.tracker.size() == 0;
    }

    int inFlight() {
        return limits.inFlight();
    }

    /** Registers a polled record: unreadable ones are parked at once, the others wait for delivery. */
    void accept(ConsumerRecord<String, byte[]> raw) {
        PartitionState p = partitions.get(new TopicPartition(raw.topic(), raw.partition()));
        if (p == null) {
            return;
        }
        p.tracker.add(raw.offset());
        try {
            EnqueueRecord record = Codecs.ENQUEUE.decode(raw.value());
            if (!record.node().equals(p.node)) {
                // Pausing, health and completions go by the topic's node: a record naming another node
                // would be delivered to a node whose status was never checked.
                throw new InvalidRecordException("node " + record.node() + " is not the node of topic " + raw.topic(),
                    raw.value(), null);
            }
            p.addWaiting(new Pending(raw, p.epoch, p.node, record));
        } catch (InvalidRecordException e) {
            PartKey part = Parking.partKeyOf(raw.value());
            outcomes.parkUnreadable(p, raw, part, e.reason());
        }
    }

    /**
     * Completes skippable records and starts deliveries within every limit, fairly: in rounds of at most one start
     * per node, least recently served node first ({@link NodeTurns}), and within a node its least recently served
     * partition first, so that every node with work gets a delivery thread in turn rather than the first nodes in a
     * fixed order (or the nodes with the most partitions) taking every free thread until their backlog is gone.
     */
    void dispatch() {
        long now = clock.millis();
        List<PartitionState> ready = new ArrayList<>();
        for (PartitionState p : partitions.values()) {
            NodeStatus status = statuses.apply(p.node);
            NodeState n = limits.node(p.node);
            if (status != null) {
                n.observe(status.health());
            }
            limits.throttle(n, status);
            outcomes.completeUndeliverable(p, status, retargets.standIn(p.node, status), now);
            if (RecordPolicy.deliverable(status) && !p.waiting.isEmpty()) {
                ready.add(p);
            }
        }
        // Served partitions go to the back of the order, in the order they were served.
        for (PartitionState p : turns.run(ready, q -> startOne(q, now))) {
            partitions.remove(p.partition);
            partitions.put(p.partition, p);
        }
    }

    /** Starts {@code p}'s first due delivery if its node and the replayer's limits allow one. */
    private NodeTurns.Turn startOne(PartitionState p, long now) {
        NodeState n = limits.node(p.node);
        for (Iterator<Pending> it = p.waiting.values().iterator(); it.hasNext(); ) {
            Pending w = it.next();
            if (!limits.nodeOpen(n, now)) {
                return NodeTurns.Turn.PASS;
            }
            if (limits.full(w.record.bytes())) {
                return NodeTurns.Turn.FULL;
            }
            if (w.notBeforeMillis > now) {
                continue;
            }
            if (!n.parts.tryAcquire(1)) {
                return NodeTurns.Turn.PASS;
            }
            it.remove();
            start(w, n);
            return NodeTurns.Turn.STARTED;
        }
        return NodeTurns.Turn.PASS;
    }

    private void start(Pending w, NodeState n) {
        limits.started(w, n);
        dispatcher.start(w, n, result -> results.add(new Finished(w, result)));
    }

    /** Applies every finished delivery; waits up to {@code timeoutMillis} for the first one. */
    void processResults(long timeoutMillis) throws InterruptedException {
        Finished f = timeoutMillis > 0 ? results.poll(timeoutMillis, TimeUnit.MILLISECONDS) : results.poll();
        while (f != null) {
            apply(f);
            f = results.poll();
        }
    }

    private void apply(Finished f) {
        Pending w = f.pending();
        NodeState n = limits.node(w.node);
        limits.finished(w, n);
        PartitionState p = partitions.get(w.partition);
        if (p == null || p.epoch != w.epoch) {
            return;
        }
        outcomes.apply(p, n, w, f.result(), limits.latestStart());
    }

    /** Removes the complete prefix of every partition that {@code which} accepts, as one transaction's contents. */
    Batch drain(Predicate<TopicPartition> which) {
        return Batch.of(drainByPartition(which).values());
    }

    /** As {@link #drain}, one batch per partition (a batch a rebalance refused is carried per partition). */
    Map<TopicPartition, Batch> drainByPartition(Predicate<TopicPartition> which) {
        Map<TopicPartition, Batch> out = new HashMap<>();
        for (PartitionState p : partitions.values()) {
            if (!which.test(p.partition)) {
                continue;
            }
            OffsetTracker.Committable<Done> c = p.tracker.drain();
            if (c == null) {
                continue;
            }
            out.put(p.partition, Batch.of(p.partition, c));
        }
        return out;
    }

    /** Partitions to pause now ({@link PausePolicy}). */
    Set<TopicPartition> toPause() {
        return PausePolicy.toPause(partitions.values(), statuses, metrics);
    }
}
