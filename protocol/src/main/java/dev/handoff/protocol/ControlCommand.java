package dev.handoff.protocol;

import dev.handoff.protocol.json.OptionalField;

/**
 * An operator's command for one node. {@code throttle} is set exactly when the action is {@code THROTTLE}
 * (absent from every record written before throttles existed, which still read).
 */
public record ControlCommand(String node, Action action, String by, long at, @OptionalField Throttle throttle) {

    /** What an operator can ask of a node. */
    public enum Action {
        PAUSE, RESUME, TRUNCATE,
        /** Replace the node's live rate limits with {@link ControlCommand#throttle()}. */
        THROTTLE,
        /** Drop the node's live rate limits: the replayers' startup options apply again. */
        CLEAR_THROTTLE
    }

    public ControlCommand {
        NodeAddress.require("node", node);
        Names.required("action", action);
        Names.requireText("by", by);
        Names.nonNegative("at", at);
        if (action == Action.THROTTLE && throttle == null) {
            throw new InvalidFieldException("throttle", null, "required for action THROTTLE");
        }
        if (action != Action.THROTTLE && throttle != null) {
            throw new InvalidFieldException("throttle", throttle, "only for action THROTTLE, not " + action);
        }
    }

    /** A command without a throttle (every action but THROTTLE). */
    public ControlCommand(String node, Action action, String by, long at) {
        this(node, action, by, at, null);
    }
}
