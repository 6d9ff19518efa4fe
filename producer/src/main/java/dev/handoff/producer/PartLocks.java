package dev.handoff.producer;

import dev.handoff.protocol.PartKey;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serializes every change to one part (enqueue, publish, release, delete) with a fixed set of
 * striped locks, so memory does not grow with the number of parts. Thread-safe.
 */
final class PartLocks {
    private final ReentrantLock[] stripes;

    PartLocks(int count) {
        stripes = new ReentrantLock[count];
        for (int i = 0; i < count; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    ReentrantLock of(PartKey part) {
        return stripes[Math.floorMod(part.hashCode(), stripes.length)];
    }
}
