package dev.handoff.topology.state;

import dev.handoff.protocol.Names;
import dev.handoff.protocol.PartKey;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** A bundle some but not all of whose targets have completed: the value of the release-tracker store. */
public record TrackerEntry(PartKey part, List<String> targets, List<String> completed) {

    public TrackerEntry {
        Names.required("part", part);
        targets = List.copyOf(Names.required("targets", targets));
        completed = List.copyOf(Names.required("completed", completed));
    }

    public static TrackerEntry empty(PartKey part) {
        return new TrackerEntry(part, List.of(), List.of());
    }

    /** Records that {@code node} completed, widening the targets to every list seen (never narrowing). */
    public TrackerEntry with(ReleaseTracking t) {
        Set<String> allTargets = new TreeSet<>(targets);
        allTargets.addAll(t.targets());
        Set<String> done = new TreeSet<>(completed);
        done.add(t.node());
        return new TrackerEntry(part, List.copyOf(allTargets), List.copyOf(done));
    }

    public boolean allCompleted() {
        return !targets.isEmpty() && completed.containsAll(targets);
    }
}
