package dev.handoff.cli;

import dev.handoff.protocol.common.Durable;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code handoff quickstart}: the whole story on an embedded broker. Three data nodes, the topology, two
 * replayers and a simulated liaison; one node goes down, parts are written for all three, the downed node's
 * backlog grows, the node returns, the backlog drains, and every copy on every node is verified.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
    description = "Embedded Kafka + 3 data nodes + topology + 2 replayers + a simulated liaison: outage, handoff, "
        + "recovery, verification. Exits 0 only when nothing was lost or applied twice. With --sink banyandb: a BanyanDB "
        + "test receiver, parts in BanyanDB's liaison layout, delivery over SyncPart.")
final class QuickstartCommand implements Callable<Integer> {

    @Option(names = "--parts", defaultValue = "300", paramLabel = "N", description = "Parts to write (default: ${DEFAULT-VALUE}).")
    int parts;
    @Option(names = "--keep", description = "Leave the broker and nodes running afterwards and print how to inspect them.")
    boolean keep;
    @Option(names = "--drain-timeout", defaultValue = "120s", converter = DurationConverter.class, paramLabel = "DURATION",
        description = "Give up waiting for the drain after this long (default: ${DEFAULT-VALUE}).")
    Duration drainTimeout;
    @Option(names = {"-v", "--verbose"}, description = "Show the roles' log lines.")
    boolean verbose;
    @picocli.CommandLine.Mixin
    SinkOptions sink;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (parts < 1) {
            throw new UsageException("--parts: at least 1, got " + parts);
        }
        if (!verbose) {
            QuietLogs.apply();
        }
        PrintWriter out = spec.commandLine().getOut();
        long started = System.nanoTime();
        Path work = Files.createTempDirectory("handoff-quickstart-");
        // --sink banyandb: one BanyanDB test receiver goes down and comes back (BanyanQuickstart)
        LocalStack.Plan plan = sink.banyandb() ? LocalStack.Plan.quickstart(1, 2).withSink(sink) : LocalStack.Plan.quickstart(QuickstartScenario.OWNERS, 2);
        try (LocalStack stack = LocalStack.start(work, new SimpleMeterRegistry(), plan)) {
            QuickstartScenario run = new QuickstartScenario(stack, out, work);
            QuickstartScenario.Summary summary = sink.banyandb() ? new BanyanQuickstart(stack, out, work).play(parts, drainTimeout)
                : run.play(parts, drainTimeout);
            double elapsed = (System.nanoTime() - started) / 1e9;
            if (keep) {
                run.printInspection();
            }
            out.printf("quickstart: enqueued=%d delivered=%d lost=%d duplicates=%d verified=%d elapsed=%.1fs%n",
                summary.enqueued(), summary.delivered(), summary.lost(), summary.duplicates(), summary.verified(), elapsed);
            out.flush();
            if (keep) {
                new CountDownLatch(1).await();
            }
            return summary.ok(parts) ? 0 : 1;
        } finally {
            if (!keep) {
                try {
                    Durable.deleteTree(work);
                } catch (java.io.IOException e) {
                    // the run's verdict stands; a leftover temporary directory is only worth a line
                    out.println("quickstart: could not remove " + work + ": " + e);
                }
            }
        }
    }
}
