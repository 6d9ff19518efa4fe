package dev.handoff.replayer.internals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The records of one partition between poll and commit, in offset order. An offset becomes
 * committable only when it and every record before it are complete; {@link #drain()} hands out that
 * contiguous prefix with its results. Offsets need not be consecutive (transaction markers leave gaps).
 * Confined to the poll thread.
 *
 * @param <T> what a completed record carries to the commit (its completion and parked record)
 */
final class OffsetTracker<T> {
    private final TreeMap<Long, Slot<T>> slots = new TreeMap<>();

    /** What may be committed: the results in offset order and the next offset to consume. */
    record Committable<T>(List<T> results, long nextOffset) {
    }

    private static final class Slot<T> {
        private T result;
        private boolean done;
    }

    /** Registers a polled record; offsets must increase. */
    void add(long offset) {
        if (!slots.isEmpty() && offset <= slots.lastKey()) {
            throw new IllegalArgumentException("offset " + offset + " is not after " + slots.lastKey());
        }
        slots.put(offset, new Slot<>());
    }

    /** Marks a tracked record complete; returns false when the offset is not tracked (dropped or stale). */
    boolean complete(long offset, T result) {
        Slot<T> slot = slots.get(offset);
        if (slot == null || slot.done) {
            return false;
        }
        slot.result = result;
        slot.done = true;
        return true;
    }

    /** Removes and returns the complete prefix, or null when the first record is not complete. */
    Committable<T> drain() {
        List<T> results = new ArrayList<>();
        long next = -1;
        while (!slots.isEmpty()) {
            Map.Entry<Long, Slot<T>> first = slots.firstEntry();
            if (!first.getValue().done) {
                break;
            }
            results.add(first.getValue().result);
            next = first.getKey() + 1;
            slots.pollFirstEntry();
        }
        return results.isEmpty() ? null : new Committable<>(results, next);
    }

    /** Records between poll and commit (waiting, in flight, or complete behind an incomplete one). */
    int size() {
        return slots.size();
    }
}
