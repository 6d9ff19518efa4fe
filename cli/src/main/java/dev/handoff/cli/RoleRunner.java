package dev.handoff.cli;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Runs a long-lived role until the process is asked to stop (SIGTERM, Ctrl-C): optional metrics endpoint,
 * one "ready" line, orderly close on shutdown. Its lines go to the verb's stdout, each led by the verb's name.
 */
public final class RoleRunner {

    @Option(names = "--metrics-port", paramLabel = "PORT",
        description = "Serve Prometheus /metrics, /healthz and /readyz on this port (0 = any free port; default: off).")
    Integer metricsPort;

    @Option(names = "--log-format", defaultValue = "text", paramLabel = "text|json",
        description = "Log lines on stderr as text or as one JSON object per line, key-values as fields (default: ${DEFAULT-VALUE}).")
    LogFormat logFormat;

    /** The verb this runner is mixed into: its name leads the runner's lines, its stdout takes them. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec verb;

    private final PrometheusMeterRegistry registry = MetricsServer.newRegistry();
    private final CountDownLatch stop = new CountDownLatch(1);

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Something that runs until closed, or until it fails for good. */
    public interface Role extends AutoCloseable {
        boolean isReady();

        /** Why the role stopped for good (the process then exits 1), or empty while it runs. */
        default Optional<String> failure() {
            return Optional.empty();
        }

        /** A role from its readiness check and its close. */
        static Role of(BooleanSupplier ready, AutoCloseable close) {
            return of(ready, Optional::empty, close);
        }

        /** A role from its readiness check, its failure and its close. */
        static Role of(BooleanSupplier ready, Supplier<Optional<String>> failure, AutoCloseable close) {
            return new Role() {
                @Override
                public boolean isReady() {
                    return ready.getAsBoolean();
                }

                @Override
                public Optional<String> failure() {
                    return failure.get();
                }

                @Override
                public void close() throws Exception {
                    close.close();
                }
            };
        }
    }

    /** How often a running role is asked whether it failed for good. */
    private static final long FAILURE_CHECK_MILLIS = 500;

    /** Asks a running role to stop, as SIGTERM does (tests and embedding code). */
    public void requestStop() {
        stop.countDown();
    }

    /** Blocks until shutdown; returns the exit code. {@code role} is already started. */
    public int runUntilStopped(Role role, String readyLine) throws Exception {
        String name = verb.name();
        PrintWriter out = verb.commandLine().getOut();
        CountDownLatch closed = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "handoff-shutdown");
        boolean hooked = true;
        try {
            Runtime.getRuntime().addShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // SIGTERM arrived while the role was starting: stop at once, closing what started
            hooked = false;
            stop.countDown();
        }
        MetricsServer metrics = null;
        try {
            BooleanSupplier ready = role::isReady;
            if (metricsPort != null) {
                metrics = MetricsServer.start(metricsPort, registry, ready);
                out.println(name + ": metrics on http://localhost:" + metrics.port() + "/metrics");
            }
            out.println(readyLine);
            out.flush();
            while (!stop.await(FAILURE_CHECK_MILLIS, TimeUnit.MILLISECONDS)) {
                Optional<String> failed = role.failure();
                if (failed.isPresent()) {
                    out.println(name + ": " + failed.get());
                    out.flush();
                    return 1;
                }
            }
            out.println(name + ": stopping");
            out.flush();
            return 0;
        } finally {
            try {
                role.close();
            } finally {
                if (metrics != null) {
                    metrics.close();
                }
                closed.countDown();
                try {
                    if (hooked) {
                        Runtime.getRuntime().removeShutdownHook(hook);
                    }
                } catch (IllegalStateException shuttingDown) {
                    // the JVM is already exiting through this hook
                }
            }
        }
    }
}
