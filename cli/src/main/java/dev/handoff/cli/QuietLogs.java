package dev.handoff.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * For the screen of everything that is not a role (the quickstart and the operator verbs): the roles, the
 * Kafka clients, the embedded broker and gRPC log what an operator of a real deployment wants (a node going
 * DOWN is a warning, an unreachable broker a dozen), but a verb already says what went wrong in one line of
 * its own. Without {@code --verbose} only the verb's own lines are shown.
 */
final class QuietLogs {
    private static final String[] LOGBACK = {"dev.handoff", "org.apache.kafka", "kafka", "state.change.logger",
        "io.grpc", "io.netty", "io.micrometer"};
    private static final String[] JUL = {"io.grpc", "io.grpc.netty.shaded"};

    private QuietLogs() {
    }

    /**
     * Turns those loggers off until the returned handle is closed, which puts their levels back (a process
     * that exits after the verb may drop it; a JVM that runs more, as tests do, keeps its logs).
     */
    static Restore apply() {
        List<Runnable> undo = new ArrayList<>();
        for (String name : LOGBACK) {
            Logger logger = (Logger) LoggerFactory.getLogger(name);
            Level before = logger.getLevel();
            logger.setLevel(Level.OFF);
            undo.add(() -> logger.setLevel(before));
        }
        // java.util.logging keeps loggers weakly: the undo actions hold the ones whose level was set
        for (String name : JUL) {
            java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
            java.util.logging.Level before = logger.getLevel();
            logger.setLevel(java.util.logging.Level.OFF);
            undo.add(() -> logger.setLevel(before));
        }
        return new Restore(undo);
    }

    /** Puts the levels {@link #apply()} changed back; idempotent. Confined to the thread that ran the verb. */
    static final class Restore implements AutoCloseable {
        private final List<Runnable> undo;

        private Restore(List<Runnable> undo) {
            this.undo = new ArrayList<>(undo);
        }

        @Override
        public void close() {
            undo.forEach(Runnable::run);
            undo.clear();
        }
    }
}
