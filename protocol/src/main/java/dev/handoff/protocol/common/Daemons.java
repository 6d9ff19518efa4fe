package dev.handoff.protocol.common;

import java.util.concurrent.ThreadFactory;

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
}
