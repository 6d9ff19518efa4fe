package dev.handoff.topology.state;

import dev.handoff.protocol.Completion;
import dev.handoff.protocol.ControlCommand;
import dev.handoff.protocol.HealthEvent;
import dev.handoff.protocol.InvalidFieldException;
import dev.handoff.protocol.NodeAddress;
import dev.handoff.protocol.json.OptionalField;

/**
 * One decoded input of the node-status processor, keyed by the node whose status it changes.
 * Exactly one of the four payloads is set.
 */
public record NodeEvent(
    String node,
    @OptionalField HealthEvent health,
    @OptionalField ControlCommand control,
    @OptionalField Enqueued enqueued,
    @OptionalField Completion completion) {

    public NodeEvent {
        NodeAddress.require("node", node);
        int set = (health != null ? 1 : 0) + (control != null ? 1 : 0) + (enqueued != null ? 1 : 0)
            + (completion != null ? 1 : 0);
        if (set != 1) {
            throw new InvalidFieldException("payload", set, "exactly one of health, control, enqueued, completion");
        }
    }

    public static NodeEvent of(HealthEvent e) {
        return new NodeEvent(e.node(), e, null, null, null);
    }

    public static NodeEvent of(ControlCommand c) {
        return new NodeEvent(c.node(), null, c, null, null);
    }

    /** An enqueue record, counted against the node of the topic it was read from. */
    public static NodeEvent of(String topicNode, Enqueued e) {
        return new NodeEvent(topicNode, null, null, e, null);
    }

    /** A completion, counted against the node of the topic its record was read from. */
    public static NodeEvent of(String topicNode, Completion c) {
        return new NodeEvent(topicNode, null, null, null, c);
    }
}
