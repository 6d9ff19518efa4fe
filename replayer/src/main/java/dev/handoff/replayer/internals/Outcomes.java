package dev.handoff.replayer.internals;

import dev.handoff.protocol.Completion;
import dev.handoff.protocol.NodeAddress;
import dev.handoff.protocol.NodeStatus;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.Topics;
import dev.handoff.replayer.ReplayerSettings;
import java.time.Clock;
import java.util.Iterator;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns how a delivery ended into what happens to its record: complete it, park it, or let it wait for
 * another attempt after its own backoff or its node's. Poll thread only.
 */
final class Outcomes {
    private static final Logger LOGGER = LoggerFactory.getLogger(Outcomes.class);

    private final String replayerName;
    private final Topics topics;
    private final RetryPolicy retry;
    private final Clock clock;
    private final ReplayerMetrics metrics;

    Outcomes(ReplayerSettings settings, RetryPolicy retry, Clock clock, ReplayerMetrics metrics) {
        this.replayerName = settings.replayerName();
        this.topics = settings.topics();
        this.retry = retry;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Applies {@code result} of {@code w}'s delivery to node {@code n}; {@code latestStart} as in {@link Limits}. */
    void apply(PartitionState p, NodeState n, Pending w, DeliveryResult result, long latestStart) {
        long now = clock.millis();
        if (result instanceof DeliveryResult.Completed c) {
            n.reachable();
            n.limit.succeeded(w.latencyNanos, w.record.bytes(), w.inFlightAtStart, w.startedSeq, latestStart,
                n.bytes.rate() == 0);
            metrics.concurrencyLimit(w.node, n.limit.current());
            if (c.outcome() == Completion.Outcome.DELIVERED) {
                metrics.deliveredBytes(w.node, w.record.bytes());
            }
            complete(p, w, c.outcome(), null);
        } else if (result instanceof DeliveryResult.Park park) {
            park(p, w, park.reason(), park.detail());
        } else if (result instanceof DeliveryResult.Retry r) {
            retryLater(p, n, w, r, now, latestStart);
        } else if (result instanceof DeliveryResult.SourceUnavailable s) {
            w.sourceFailures++;
            w.notBeforeMillis = now + retry.delay(w.sourceFailures).toMillis();
            waitAgain(p, w, s.detail());
        }
    }

    private void retryLater(PartitionState p, NodeState n, Pending w, DeliveryResult.Retry r, long now, long latestStart) {
        if (r.nodeUnavailable()) {
            n.limit.overloaded(w.startedSeq, latestStart);
            metrics.concurrencyLimit(w.node, n.limit.current());
            if (n.unavailable(w.startedSeq, latestStart)) {
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
        p.addWaiting(w);
    }

    /**
     * Completes, without delivering them, {@code p}'s waiting records that need no delivery: truncated or expired
     * ({@link RecordPolicy#skip}), else moved to {@code standIn} when their node is replaced (null: it is not).
     */
    void completeUndeliverable(PartitionState p, NodeStatus status, String standIn, long now) {
        boolean truncated = status != null && status.truncateBefore() != null;
        if (!truncated && standIn == null && now <= p.earliestExpiry) {
            return; // nothing to complete: this runs every iteration, and a scan of every waiting record costs
        }
        long earliest = Long.MAX_VALUE;
        for (Iterator<Pending> it = p.waiting.values().iterator(); it.hasNext(); ) {
            Pending w = it.next();
            Optional<Completion.Outcome> skip = RecordPolicy.skip(w.record, status, now);
            if (skip.isPresent()) {
                it.remove();
                complete(p, w, skip.get(), null);
            } else if (standIn != null) {
                it.remove();
                retarget(p, w, standIn);
            } else if (w.record.expiresAt() != null) {
                earliest = Math.min(earliest, w.record.expiresAt());
            }
        }
        p.earliestExpiry = earliest;
    }

    /** Completes {@code w} with {@code outcome}; {@code parked} is its parked copy, if parked. */
    void complete(PartitionState p, Pending w, Completion.Outcome outcome, ProducerRecord<String, byte[]> parked) {
        complete(p, w, outcome, parked, null);
    }

    /**
     * Completes {@code w} RETARGETED: its node is replaced by {@code to}, and the same transaction enqueues the bundle
     * for {@code to} (unless {@code to} is among its targets already).
     */
    void retarget(PartitionState p, Pending w, String to) {
        ProducerRecord<String, byte[]> copy = Retargets.copy(topics, w, to);
        LOGGER.atDebug().addKeyValue("node", w.node).addKeyValue("part", w.record.part()).addKeyValue("to", to)
            .addKeyValue("copied", copy != null).log("moving record to the node that replaces its own");
        complete(p, w, Completion.Outcome.RETARGETED, copy, to);
    }

    private void complete(PartitionState p, Pending w, Completion.Outcome outcome, ProducerRecord<String, byte[]> produced,
                          String retargetedTo) {
        Completion c = new Completion(w.record.node(), w.record.part(), outcome, replayerName, w.attempts,
            w.raw.topic(), w.raw.partition(), w.offset(), clock.millis(), retargetedTo);
        p.tracker.complete(w.offset(), new Done(c, produced));
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

    /** Parks a record that cannot be read; it is completed too when its PartKey and node can be read. */
    void parkUnreadable(PartitionState p, ConsumerRecord<String, byte[]> raw, PartKey part, String detail) {
        LOGGER.atWarn().addKeyValue("node", p.node).addKeyValue("topic", raw.topic()).addKeyValue("offset", raw.offset())
            .addKeyValue("reason", ParkReason.INVALID_RECORD).addKeyValue("error", detail).log("parking unreadable record");
        metrics.parked(ParkReason.INVALID_RECORD);
        ProducerRecord<String, byte[]> parked = Parking.record(topics.parked(), p.node, raw, ParkReason.INVALID_RECORD, detail, 0);
        Completion c = null;
        if (part != null && NodeAddress.isValid(p.node)) {
            c = new Completion(p.node, part, Completion.Outcome.PARKED, replayerName, 0, raw.topic(),
                raw.partition(), raw.offset(), clock.millis());
            metrics.completed(p.node, Completion.Outcome.PARKED);
        }
        p.tracker.complete(raw.offset(), new Done(c, parked));
    }
}
