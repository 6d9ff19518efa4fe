package dev.handoff.topology;

import dev.handoff.protocol.Completion;
import dev.handoff.protocol.ControlCommand;
import dev.handoff.protocol.HealthEvent;
import dev.handoff.topology.state.Enqueued;
import dev.handoff.topology.state.NodeEvent;
import dev.handoff.topology.state.NodeState;
import dev.handoff.topology.state.ReleaseTracking;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds every event of a node into its {@link NodeState} and emits the node's status when what an
 * operator sees changed (health, paused, truncateBefore, throttle, pending counts or oldest pending), stamped
 * with the stream time's wall clock. A matched completion also emits a {@link ReleaseTracking} for
 * the bundle. Confined to its stream thread; state lives only in the task's stores.
 */
final class NodeStatusProcessor implements Processor<String, NodeEvent, String, NodeOutput> {
    private static final Logger LOGGER = LoggerFactory.getLogger(NodeStatusProcessor.class);

    private final TopologyMetrics metrics;
    private ProcessorContext<String, NodeOutput> context;
    private KeyValueStore<String, NodeState> states;
    private PendingLedger ledger;

    NodeStatusProcessor(TopologyMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, NodeOutput> context) {
        this.context = context;
        this.states = context.getStateStore(HandoffTopology.NODE_STATE_STORE);
        this.ledger = new PendingLedger(context.getStateStore(HandoffTopology.PENDING_STORE),
            context.getStateStore(HandoffTopology.PENDING_INDEX_STORE),
            context.getStateStore(HandoffTopology.EARLY_COMPLETION_STORE),
            context.getStateStore(HandoffTopology.WATERMARK_STORE));
    }

    @Override
    public void process(Record<String, NodeEvent> record) {
        NodeEvent event = record.value();
        String node = event.node();
        long now = context.currentSystemTimeMs();
        NodeState before = states.get(node);
        NodeState current = before == null ? NodeState.unknown(node, now) : before;
        NodeState after;
        if (event.health() != null) {
            after = health(current, event.health());
        } else if (event.control() != null) {
            after = control(current, event.control());
        } else if (event.enqueued() != null) {
            after = enqueued(record, current, event.enqueued());
        } else {
            after = completion(record, current, event.completion());
        }
        if (before == null || after.statusDiffers(before)) {
            after = after.withUpdatedAt(now);
            states.put(node, after);
            context.forward(record.withKey(node).withValue(NodeOutput.of(after.status())));
        } else if (!after.equals(before)) {
            states.put(node, after);
        }
    }

    private NodeState health(NodeState state, HealthEvent e) {
        if (state.healthAt() != null && e.at() < state.healthAt()) {
            LOGGER.atDebug().addKeyValue("node", e.node()).addKeyValue("at", e.at())
                .addKeyValue("latestAt", state.healthAt()).log("ignoring a health event older than the latest");
            return state;
        }
        return state.withHealth(e.status(), e.at());
    }

    private NodeState control(NodeState state, ControlCommand c) {
        LOGGER.atInfo().addKeyValue("node", c.node()).addKeyValue("action", c.action()).addKeyValue("by", c.by())
            .addKeyValue("at", c.at()).addKeyValue("throttle", c.throttle()).addKeyValue("to", c.to()).log("control command");
        return switch (c.action()) {
            case PAUSE -> state.withPaused(true);
            case RESUME -> state.withPaused(false);
            // Truncation only ever moves forward: the replayer may already have truncated up to the later time.
            case TRUNCATE -> state.withTruncateBefore(state.status().truncateBefore() == null
                ? c.at() : Math.max(state.status().truncateBefore(), c.at()));
            case THROTTLE -> state.withThrottle(c.throttle());
            case CLEAR_THROTTLE -> state.withThrottle(null);
            case RETARGET -> state.withRetargetTo(c.to());
            case CLEAR_RETARGET -> state.withRetargetTo(null);
        };
    }

    private NodeState enqueued(Record<String, NodeEvent> record, NodeState state, Enqueued e) {
        String node = state.status().node();
        PendingLedger.EnqueueResult result = ledger.enqueue(node, e);
        trackOrphans(record, result.orphans());
        return switch (result.outcome()) {
            case ADDED -> state.withPending(1, e.bytes(), ledger.oldest(node));
            case COMPLETED_EARLY -> {
                track(record, new ReleaseTracking(e.part(), e.node(), result.early().targetsAfter(e.targets())));
                yield state;
            }
            case SEEN_BEFORE -> state;
        };
    }

    private NodeState completion(Record<String, NodeEvent> record, NodeState state, Completion c) {
        String node = state.status().node();
        PendingLedger.CompletionResult result = ledger.complete(node, c);
        metrics.completion(result.outcome());
        if (result.outcome() != TopologyMetrics.CompletionOutcome.MATCHED) {
            LOGGER.atDebug().addKeyValue("node", node).addKeyValue("part", c.part()).addKeyValue("outcome", result.outcome())
                .log("completion not matched with a pending record");
            return state;
        }
        var p = result.pending();
        // A record moved to another node is done here, and that node becomes a target the release waits for.
        track(record, new ReleaseTracking(p.part(), p.node(), c.targetsAfter(p.targets())));
        return state.withPending(-1, -p.bytes(), ledger.oldest(node));
    }

    /**
     * Orphans completed records the topology never read; their targets are unknown, so they only
     * mark the node done and rely on another target's record for the list.
     */
    private void trackOrphans(Record<String, NodeEvent> record, List<Completion> orphans) {
        for (Completion c : orphans) {
            metrics.completion(TopologyMetrics.CompletionOutcome.ORPHANED);
            LOGGER.atWarn().addKeyValue("node", c.node()).addKeyValue("part", c.part())
                .addKeyValue("topic", c.topic()).addKeyValue("partition", c.partition()).addKeyValue("offset", c.offset())
                .log("completed record was deleted from its node topic before the topology read it");
            track(record, new ReleaseTracking(c.part(), c.node(), c.targetsAfter(List.of())));
        }
    }

    private void track(Record<String, NodeEvent> record, ReleaseTracking tracking) {
        context.forward(record.withKey(tracking.part().toString()).withValue(NodeOutput.of(tracking)));
    }
}
