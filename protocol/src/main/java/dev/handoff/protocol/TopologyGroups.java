package dev.handoff.protocol;

/**
 * The consumer groups of the topology role, which other roles read: one definition for the topology that
 * joins them and the replayer whose trim guard reads their committed offsets.
 */
public final class TopologyGroups {
    private TopologyGroups() {
    }

    /**
     * The group of the topology's enqueue relay, which reads every node topic: a node topic's log start is never
     * advanced past what this group has committed, so the topology has every enqueue record before it is deleted.
     */
    public static String relayGroup(String applicationId) {
        Names.requireName("applicationId", applicationId);
        return applicationId + "-enqueue-relay";
    }
}
