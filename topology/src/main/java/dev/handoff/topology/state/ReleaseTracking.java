package dev.handoff.topology.state;

import dev.handoff.protocol.Names;
import dev.handoff.protocol.PartKey;
import java.util.List;

/** One target node finished a bundle: sent through the release-tracking topic, keyed by the PartKey string. */
public record ReleaseTracking(PartKey part, String node, List<String> targets) {

    public ReleaseTracking {
        Names.required("part", part);
        Names.required("node", node);
        targets = List.copyOf(Names.required("targets", targets));
    }
}
