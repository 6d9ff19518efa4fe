package dev.handoff.protocol.common;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Daemon threads with names an operator can find in a thread dump: the one place handoff makes them. */
public final class Daemons {
    private Daemons() {
    }

    /** A factory of daemon threads all named {@code name}. */
    public static ThreadFactory factory(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** A factory of daemon threads of a pool, named {@code <prefix>1}, {@code <prefix>2}, ... */
    public static ThreadFactory numbered(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> factory(prefix + n.incrementAndGet()).newThread(r);
    }
}
