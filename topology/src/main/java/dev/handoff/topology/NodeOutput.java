package dev.handoff.topology;

import dev.handoff.protocol.NodeStatus;
import dev.handoff.topology.state.ReleaseTracking;

/** What the node-status processor emits: a new status (keyed by node) or a release-tracking event (keyed by part). */
record NodeOutput(NodeStatus status, ReleaseTracking tracking) {

    static NodeOutput of(NodeStatus status) {
        return new NodeOutput(status, null);
    }

    static NodeOutput of(ReleaseTracking tracking) {
        return new NodeOutput(null, tracking);
    }
}
