package dev.handoff.replayer.internals;

import dev.handoff.protocol.NodeStatus;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;

/** Which owned partitions the poll thread pauses: by their node's status and by what they hold. Stateless. */
final class PausePolicy {
    /** Records polled and not committed per partition above which the partition is paused. */
    static final int MAX_BUFFERED_PER_PARTITION = 500;
    /**
     * Records read ahead from a partition whose node is down or paused. Nothing of them is delivered, but a
     * truncation or an expiry completes them, and both reach a partition's oldest records first: without this window
     * a node that never comes back (decommissioned, replaced) would keep its truncated or expired backlog, and the
     * store its bundles, forever.
     */
    static final int UNDELIVERABLE_WINDOW = 20;

    private PausePolicy() {
    }

    /**
     * Partitions to pause: their node is down or paused and they hold {@link #UNDELIVERABLE_WINDOW} records already,
     * or they hold too many uncommitted records.
     */
    static Set<TopicPartition> toPause(Collection<PartitionState> partitions, Function<String, NodeStatus> statuses,
                                       ReplayerMetrics metrics) {
        Set<TopicPartition> out = new HashSet<>();
        Set<String> pausedNodes = new HashSet<>();
        for (PartitionState p : partitions) {
            NodeStatus status = statuses.apply(p.node);
            // A replaced node's records are moved, not held: they flow at the normal cap.
            if (!RecordPolicy.deliverable(status) && (status == null || status.retargetTo() == null)) {
                pausedNodes.add(p.node);
                if (p.tracker.size() >= UNDELIVERABLE_WINDOW) {
                    out.add(p.partition);
                }
            } else if (p.tracker.size() >= MAX_BUFFERED_PER_PARTITION) {
                out.add(p.partition);
            }
        }
        metrics.pausedNodes(pausedNodes.size());
        return out;
    }
}
