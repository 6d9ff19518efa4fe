package dev.handoff.protocol;

import dev.handoff.protocol.json.OptionalField;

/**
 * An operator's command for one node. {@code throttle} is set exactly when the action is {@code THROTTLE}, {@code to}
 * exactly when it is {@code RETARGET} (both absent from every record written before they existed, which still read).
 */
public record ControlCommand(String node, Action action, String by, long at, @OptionalField Throttle throttle,
                             @OptionalField String to) {

    /** What an operator can ask of a node. */
    public enum Action {
        PAUSE, RESUME, TRUNCATE,
        /** Replace the node's live rate limits with {@link ControlCommand#throttle()}. */
        THROTTLE,
        /** Drop the node's live rate limits: the replayers' startup options apply again. */
        CLEAR_THROTTLE,
        /**
         * The node is gone for good and {@link ControlCommand#to()} replaces it: replayers move each of its records
         * (pending now or enqueued later) to that node's topic, completing the original {@code RETARGETED}.
         */
        RETARGET,
        /** Stop moving the node's records: they wait for the node itself again. */
        CLEAR_RETARGET
    }

    public ControlCommand {
        NodeAddress.require("node", node);
        Names.required("action", action);
        Names.requireText("by", by);
        Names.nonNegative("at", at);
        if (Names.onlyFor("throttle", throttle, "action", action, Action.THROTTLE) && throttle == null) {
            throw new InvalidFieldException("throttle", null, "required for action THROTTLE");
        }
        if (Names.onlyFor("to", to, "action", action, Action.RETARGET)) {
            NodeAddress.require("to", to);
            if (to.equals(node)) {
                throw new InvalidFieldException("to", to, "must differ from node " + node);
            }
        }
    }

    /** A command without a throttle or a new node (every action but THROTTLE and RETARGET). */
    public ControlCommand(String node, Action action, String by, long at) {
        this(node, action, by, at, null, null);
    }

    /** A THROTTLE (or any action but RETARGET, with a null throttle). */
    public ControlCommand(String node, Action action, String by, long at, Throttle throttle) {
        this(node, action, by, at, throttle, null);
    }

    /** A RETARGET of {@code node} to {@code to}. */
    public static ControlCommand retarget(String node, String to, String by, long at) {
        return new ControlCommand(node, Action.RETARGET, by, at, null, to);
    }
}
