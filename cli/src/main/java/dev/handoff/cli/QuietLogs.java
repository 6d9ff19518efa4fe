package dev.handoff.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * For the quickstart's screen: the roles, the embedded broker and gRPC log what an operator of a real
 * deployment wants (a node going DOWN is a warning), but in the quickstart that outage is the scenario.
 * Without {@code --verbose} only the quickstart's own lines are shown.
 */
final class QuietLogs {
    /** java.util.logging keeps loggers weakly: hold the ones whose level was set. */
    private static final List<java.util.logging.Logger> JUL = new ArrayList<>();

    private QuietLogs() {
    }

    static void apply() {
        for (String name : new String[] {"dev.handoff", "org.apache.kafka", "kafka", "state.change.logger", "io.grpc",
            "io.netty", "io.micrometer"}) {
            ((Logger) LoggerFactory.getLogger(name)).setLevel(Level.OFF);
        }
        for (String name : new String[] {"io.grpc", "io.grpc.netty.shaded"}) {
            java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
            logger.setLevel(java.util.logging.Level.OFF);
            JUL.add(logger);
        }
    }
}
