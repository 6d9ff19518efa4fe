package dev.handoff.protocol;

/** A health observation of a node by a producer's monitor or a replayer, at a time in epoch ms. */
public record HealthEvent(String node, Health status, String observer, long at) {

    public HealthEvent {
        NodeAddress.require("node", node);
        if (status != Health.UP && status != Health.DOWN) {
            throw new InvalidFieldException("status", status, "UP or DOWN");
        }
        Names.requireText("observer", observer);
        Names.nonNegative("at", at);
    }
}
