package dev.handoff.protocol;

/** An operator's command for one node. */
public record ControlCommand(String node, Action action, String by, long at) {

    /** What an operator can ask of a node. */
    public enum Action {
        PAUSE, RESUME, TRUNCATE
    }

    public ControlCommand {
        NodeAddress.require("node", node);
        Names.required("action", action);
        Names.requireText("by", by);
        Names.nonNegative("at", at);
    }
}
