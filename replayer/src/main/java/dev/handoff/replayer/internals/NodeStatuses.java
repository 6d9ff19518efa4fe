package dev.handoff.replayer.internals;

import dev.handoff.protocol.NodeStatus;

/** The node statuses the poll thread acts on ({@link NodeStatusTable} reads them from the status topic). */
interface NodeStatuses {

    /** The latest status of {@code node}, or null when none is known. */
    NodeStatus get(String node);

    /** Whether the statuses are current: a reader that failed or fell behind could hide a PAUSE or a DOWN. */
    boolean current();
}
