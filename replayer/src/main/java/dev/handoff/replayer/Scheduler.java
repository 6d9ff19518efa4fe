package dev.handoff.replayer;

import dev.handoff.protocol.Completion;
import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.InvalidRecordException;
import dev.handoff.protocol.NodeStatus;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.json.Codecs;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery pipeline's bookkeeping: what each owned partition has polled, what waits, what is in
 * flight per node, what is complete. Starts deliveries on the {@link Dispatcher} within the limits
 * (per node, bytes, rate, backoff), turns their results into completions, retries or parked records,
 * and hands out the contiguous complete prefix of each partition for one transaction.
 * Confined to the poll thread; results come back through a queue.
 */
final class Scheduler {
    private static final Logger LOGGER = LoggerFactory.getLogger(Scheduler.class);
    /** Records polled and not committed per partition above which the partition is paused. */
    static final int MAX_BUFFERED_PER_PARTITION = 500;

    /** Runs deliveries asynchronously and hands each result to the callback. */
    interface Dispatcher {
        void start(Pending pending, NodeState node, java.util.function.Consumer<DeliveryResult> onResult);
    }

    /** The contents of one transaction. */
    record Batch(List<Completion> completions, List<ProducerRecord<String, byte[]>> parked,
                 Map<TopicPartition, OffsetAndMetadata> offsets) {
        boolean isEmpty() {
            return offsets.isEmpty();
        }

        /** This batch, then {@code later} (drained after it: its offsets are the higher ones). */
        Batch followedBy(Batch later) {
            List<Completion> c = new ArrayList<>(completions);
            c.addAll(later.completions);
            List<ProducerRecord<String, byte[]>> p = new ArrayList<>(parked);
            p.addAll(later.parked);
            Map<TopicPartition, OffsetAndMetadata> o = new HashMap<>(offsets);
            o.putAll(later.offsets);
            return new Batch(c, p, o);
        }

        /** One batch of all of {@code parts} (each of its own partitions). */
        static Batch of(java.util.Collection<Batch> parts) {
            Batch out = new Batch(List.of(), List.of(), Map.of());
            for (Batch b : parts) {
                out = out.followedBy(b);
            }
            return out;
        }
    }

    private record Finished(Pending pending, DeliveryResult result) {
    }

    private final ReplayerSettings settings;
    private final Topics topics;
    private final Function<String, NodeStatus> statuses;
    private final RetryPolicy retry;
    private final Clock clock;
    private final ReplayerMetrics metrics;
    private final Dispatcher dispatcher;
    private final BlockingQueue<Finished> results = new LinkedBlockingQueue<>();
    private final Map<TopicPartition, PartitionState> partitions = new HashMap<>();
    private final Map<String, NodeState> nodes = new HashMap<>();
    private long nextEpoch;
    private long startSeq;
    private int inFlight;
    private long inFlightBytes;

    Scheduler(ReplayerSettings settings, Function<String, NodeStatus> statuses, RetryPolicy retry, Clock clock,
              ReplayerMetrics metrics, Dispatcher dispatcher) {
        this.settings = settings;
        this.topics = settings.topics();
        this.statuses = statuses;
        this.retry = retry;
        this.clock = clock;
        this.metrics = metrics;
        this.dispatcher = dispatcher;
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
    }

    Set<TopicPartition> owned() {
        return partitions.keySet();
    }

    int inFlight() {
        return inFlight;
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
            p.waiting.put(raw.offset(), new Pending(raw, p.epoch, p.node, record));
        } catch (InvalidRecordException e) {
            PartKey part = Parking.partKeyOf(raw.value());
            parkUnreadable(p, raw, part, e.reason());
        }
    }

    /** Completes skippable records and starts deliveries within every limit. */
    void dispatch() {
        long now = clock.millis();
        for (PartitionState p : partitions.values()) {
            NodeStatus status = statuses.apply(p.node);
            NodeState n = node(p.node);
            if (status != null) {
                n.observe(status.health());
            }
            skipDue(p, status, now);
            if (!RecordPolicy.deliverable(status)) {
                continue;
            }
            for (Iterator<Pending> it = p.waiting.values().iterator(); it.hasNext(); ) {
                Pending w = it.next();
                if (n.backoffUntilMillis > now || n.inFlight >= settings.maxInFlightPerNode()) {
                    break;
                }
                if (inFlight >= settings.deliveryThreads()
                    || (inFlight > 0 && inFlightBytes + w.record.bytes() > settings.maxInFlightBytes())) {
                    return;
                }
                if (w.notBeforeMillis > now) {
                    continue;
                }
                if (n.parts != null && !n.parts.tryAcquire(1)) {
                    break;
                }
                it.remove();
                start(w, n);
            }
        }
    }

    private void skipDue(PartitionState p, NodeStatus status, long now) {
        for (Iterator<Pending> it = p.waiting.values().iterator(); it.hasNext(); ) {
            Pending w = it.next();
            Optional<Completion.Outcome> skip = RecordPolicy.skip(w.record, status, now);
            if (skip.isPresent()) {
                it.remove();
                complete(p, w, skip.get(), null);
            }
        }
    }

    private void start(Pending w, NodeState n) {
        w.attempts++;
        w.startedSeq = ++startSeq;
        n.inFlight++;
        inFlight++;
        inFlightBytes += w.record.bytes();
        metrics.inFlight(inFlight);
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
        NodeState n = node(w.node);
        n.inFlight--;
        inFlight--;
        inFlightBytes -= w.record.bytes();
        metrics.inFlight(inFlight);
        PartitionState p = partitions.get(w.partition);
        if (p == null || p.epoch != w.epoch) {
            return;
        }
        long now = clock.millis();
        if (f.result() instanceof DeliveryResult.Completed c) {
            n.reachable();
            if (c.outcome() == Completion.Outcome.DELIVERED) {
                metrics.deliveredBytes(w.node, w.record.bytes());
            }
            complete(p, w, c.outcome(), null);
        } else if (f.result() instanceof DeliveryResult.Park park) {
            park(p, w, park.reason(), park.detail());
        } else if (f.result() instanceof DeliveryResult.Retry r) {
            retryLater(p, n, w, r, now);
        } else if (f.result() instanceof DeliveryResult.SourceUnavailable s) {
            w.sourceFailures++;
            w.notBeforeMillis = now + retry.delay(w.sourceFailures).toMillis();
            waitAgain(p, w, s.detail());
        }
    }

    private void retryLater(PartitionState p, NodeState n, Pending w, DeliveryResult.Retry r, long now) {
        if (r.nodeUnavailable()) {
            if (n.unavailable(w.startedSeq, startSeq)) {
                n.backoffUntilMillis = Math.max(n.backoffUntilMillis, now + retry.delay(n.failureStreak).toMillis());
            }
        } else {
            w.failures++;
            if (retry.exhausted(w.failures)) {
                park(p, w, ParkReason.RETRY_BUDGET, r.detail());
                return;
            }
            w.notBeforeMillis = now + retry.delay(w.failures).toMillis();
        }
        waitAgain(p, w, r.detail());
    }

    private void waitAgain(PartitionState p, Pending w, String detail) {
        metrics.retried(w.node);
        LOGGER.atInfo().addKeyValue("node", w.node).addKeyValue("part", w.record.part())
            .addKeyValue("attempt", w.attempts).addKeyValue("error", detail).log("delivery failed, will retry");
        p.waiting.put(w.offset(), w);
    }

    private void complete(PartitionState p, Pending w, Completion.Outcome outcome, ProducerRecord<String, byte[]> parked) {
        Completion c = new Completion(w.record.node(), w.record.part(), outcome, settings.replayerName(), w.attempts,
            w.raw.topic(), w.raw.partition(), w.offset(), clock.millis());
        p.tracker.complete(w.offset(), new Done(c, parked));
        metrics.completed(w.node, outcome);
        LOGGER.atDebug().addKeyValue("node", w.node).addKeyValue("part", w.record.part())
            .addKeyValue("outcome", outcome).log("record completed");
    }

    private void park(PartitionState p, Pending w, String reason, String detail) {
        LOGGER.atWarn().addKeyValue("node", w.node).addKeyValue("part", w.record.part()).addKeyValue("reason", reason)
            .addKeyValue("error", detail).addKeyValue("attempts", w.attempts).log("parking record");
        metrics.parked(reason);
        complete(p, w, Completion.Outcome.PARKED,
            Parking.record(topics.parked(), w.node, w.raw, reason, detail, w.attempts));
    }

    private void parkUnreadable(PartitionState p, ConsumerRecord<String, byte[]> raw, PartKey part, String detail) {
        LOGGER.atWarn().addKeyValue("node", p.node).addKeyValue("topic", raw.topic()).addKeyValue("offset", raw.offset())
            .addKeyValue("reason", ParkReason.INVALID_RECORD).addKeyValue("error", detail).log("parking unreadable record");
        metrics.parked(ParkReason.INVALID_RECORD);
        ProducerRecord<String, byte[]> parked = Parking.record(topics.parked(), p.node, raw, ParkReason.INVALID_RECORD, detail, 0);
        Completion c = null;
        if (part != null && dev.handoff.protocol.NodeAddress.isValid(p.node)) {
            c = new Completion(p.node, part, Completion.Outcome.PARKED, settings.replayerName(), 0, raw.topic(),
                raw.partition(), raw.offset(), clock.millis());
            metrics.completed(p.node, Completion.Outcome.PARKED);
        }
        p.tracker.complete(raw.offset(), new Done(c, parked));
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
            List<Completion> completions = new ArrayList<>();
            List<ProducerRecord<String, byte[]>> parked = new ArrayList<>();
            for (Done d : c.results()) {
                if (d.completion() != null) {
                    completions.add(d.completion());
                }
                if (d.parked() != null) {
                    parked.add(d.parked());
                }
            }
            out.put(p.partition, new Batch(completions, parked, Map.of(p.partition, new OffsetAndMetadata(c.nextOffset()))));
        }
        return out;
    }

    /** Partitions to pause: their node is down or paused, or they hold too many uncommitted records. */
    Set<TopicPartition> toPause() {
        Set<TopicPartition> out = new HashSet<>();
        Set<String> pausedNodes = new HashSet<>();
        for (PartitionState p : partitions.values()) {
            if (!RecordPolicy.deliverable(statuses.apply(p.node))) {
                out.add(p.partition);
                pausedNodes.add(p.node);
            } else if (p.tracker.size() >= MAX_BUFFERED_PER_PARTITION) {
                out.add(p.partition);
            }
        }
        metrics.pausedNodes(pausedNodes.size());
        return out;
    }

    private NodeState node(String node) {
        return nodes.computeIfAbsent(node, k -> new NodeState(k,
            settings.maxPartsPerSec() > 0 ? new TokenBucket(settings.maxPartsPerSec(), clock) : null,
            settings.maxBytesPerSec() > 0 ? new TokenBucket(settings.maxBytesPerSec(), clock) : null));
    }
}
