package dev.handoff.replayer.internals;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The order in which {@link Scheduler#dispatch} offers delivery threads: in rounds of at most one start per node (not
 * per partition, so that a node with many partitions gets no more turns than a node with one), least recently served
 * node first (a node never served before every other), and within a node its partitions in the order given (least
 * recently served first). Poll thread only.
 */
final class NodeTurns {
    /** What one partition's try came to. */
    enum Turn { STARTED, PASS, FULL }

    /** Per node, the number of its latest turn that started a delivery (absent: never served). */
    private final Map<String, Long> lastServed = new HashMap<>();
    private long turn;

    /**
     * Tries {@code ready}'s partitions with {@code start} in rounds until the replayer is full or no partition can
     * start anything more: a partition that passes is not tried again in this call.
     *
     * @return the partitions that started a delivery, in the order of their latest start
     */
    Set<PartitionState> run(List<PartitionState> ready, Function<PartitionState, Turn> start) {
        List<Deque<PartitionState>> queues = queues(ready);
        Set<PartitionState> served = new LinkedHashSet<>();
        while (!queues.isEmpty()) {
            for (Iterator<Deque<PartitionState>> it = queues.iterator(); it.hasNext(); ) {
                Turn t = nodeTurn(it.next(), start, served);
                if (t == Turn.FULL) {
                    return served;
                }
                if (t == Turn.PASS) {
                    it.remove();
                }
            }
        }
        return served;
    }

    /** Forgets nodes none of whose partitions is owned any more. */
    void retain(Collection<PartitionState> owned) {
        Set<String> nodes = new HashSet<>();
        owned.forEach(p -> nodes.add(p.node));
        lastServed.keySet().retainAll(nodes);
    }

    /** {@code ready} as one queue per node, in the order nodes get turns. */
    private List<Deque<PartitionState>> queues(List<PartitionState> ready) {
        Map<String, Deque<PartitionState>> byNode = new LinkedHashMap<>();
        for (PartitionState p : ready) {
            byNode.computeIfAbsent(p.node, k -> new ArrayDeque<>()).add(p);
        }
        List<Deque<PartitionState>> queues = new ArrayList<>(byNode.values());
        // A stable sort: nodes served equally long ago keep the order of their partitions.
        queues.sort(Comparator.comparingLong(q -> lastServed.getOrDefault(q.peekFirst().node, 0L)));
        return queues;
    }

    /** One node's turn: its partitions in order until one starts a delivery; those that pass leave the queue. */
    private Turn nodeTurn(Deque<PartitionState> queue, Function<PartitionState, Turn> start, Set<PartitionState> served) {
        while (!queue.isEmpty()) {
            PartitionState p = queue.pollFirst();
            Turn t = start.apply(p);
            if (t == Turn.FULL) {
                return t;
            }
            if (t == Turn.STARTED) {
                queue.addLast(p);
                served.remove(p);
                served.add(p);
                lastServed.put(p.node, ++turn);
                return t;
            }
        }
        return Turn.PASS;
    }
}
