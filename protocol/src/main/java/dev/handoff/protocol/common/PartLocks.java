package dev.handoff.protocol.common;

import dev.handoff.protocol.PartKey;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serializes every change to one part with a fixed set of striped locks, so memory does not grow with the
 * number of parts (the producer's enqueue, publish, release and delete; the data node's commit). Two parts may
 * share a stripe and then wait for each other, never more. Thread-safe.
 */
public final class PartLocks {
    private final ReentrantLock[] stripes;

    public PartLocks(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count: at least 1, got " + count);
        }
        stripes = new ReentrantLock[count];
        for (int i = 0; i < count; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /** The lock of this part's stripe. */
    public ReentrantLock of(PartKey part) {
        return stripes[Math.floorMod(part.hashCode(), stripes.length)];
    }
}
