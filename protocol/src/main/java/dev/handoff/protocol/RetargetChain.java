package dev.handoff.protocol;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The chain of replacements ({@code handoff retarget}) that starts at one node: OLD to NEW, NEW to NEWER, and so on,
 * as the node statuses name them. {@code nodes} is the path followed, starting node first; when it {@code loops}, its
 * last element is the node reached a second time; when it is {@code tooLong}, more than {@link #MAX_HOPS} hops were
 * not followed. One definition for the CLI (which refuses a retarget that would loop) and the replayers (which move a
 * replaced node's records to the end of its chain).
 */
public record RetargetChain(List<String> nodes, boolean loops, boolean tooLong) {
    /** Longest chain of replacements followed. */
    public static final int MAX_HOPS = 16;

    public RetargetChain {
        nodes = List.copyOf(nodes);
    }

    /** The chain from {@code node}, reading each node's replacement from {@code statuses} (null: no status). */
    public static RetargetChain from(String node, Function<String, NodeStatus> statuses) {
        Set<String> seen = new LinkedHashSet<>();
        List<String> path = new ArrayList<>();
        seen.add(node);
        path.add(node);
        String current = node;
        for (int hop = 0; hop < MAX_HOPS; hop++) {
            NodeStatus s = statuses.apply(current);
            String next = s == null ? null : s.retargetTo();
            if (next == null) {
                return new RetargetChain(path, false, false);
            }
            path.add(next);
            if (!seen.add(next)) {
                return new RetargetChain(path, true, false);
            }
            current = next;
        }
        NodeStatus last = statuses.apply(current);
        return new RetargetChain(path, false, last != null && last.retargetTo() != null);
    }

    /**
     * The node that now stands in for the first: the chain's end; empty when the first node is not replaced, or the
     * chain loops or is too long (its records then wait, as for a node that is down).
     */
    public Optional<String> standIn() {
        return loops || tooLong || nodes.size() < 2 ? Optional.empty() : Optional.of(nodes.get(nodes.size() - 1));
    }
}
