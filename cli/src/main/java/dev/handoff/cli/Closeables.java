package dev.handoff.cli;

import java.util.List;

/** Closing what a local stack started, every part even when one fails. */
final class Closeables {
    private Closeables() {
    }

    /** Closes each in order, all of them; returns the first failure (the caller throws it), or null. */
    static Exception closeEach(List<? extends AutoCloseable> closeables) {
        Exception first = null;
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        return first;
    }
}
