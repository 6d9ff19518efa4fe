package dev.handoff.benchmarks;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bin/handoff bench [--quick] [NAME...]}: runs the named scenarios (all by default) against one
 * embedded broker, real gRPC on localhost and real files, prints one line per result on stdout and, in a
 * full run, writes the table to {@code docs/BENCHMARKS.md}. {@code --quick} shrinks every scenario so the
 * whole run takes well under two minutes; its numbers are a smoke test, not a measurement.
 */
public final class BenchMain {
    static final List<String> NAMES = List.of("drain-small", "drain-large", "enqueue-latency", "recovery", "scale-out",
        "backlog", "disk");

    private BenchMain() {
    }

    public static void main(String[] args) {
        int code = 1;
        try {
            code = run(args, System.out, System.err);
        } catch (Exception | Error e) {
            e.printStackTrace();
        } finally {
            // the embedded broker's non-daemon threads must not keep a failed run alive
            System.exit(code);
        }
    }

    /** Runs the benchmark; returns the exit code (0 ok, 1 a scenario failed, 2 bad usage). */
    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        boolean quick = false;
        boolean write = true;
        List<String> names = new ArrayList<>();
        for (String a : args) {
            switch (a) {
                case "--quick" -> quick = true;
                case "--no-write" -> write = false;
                case "-h", "--help" -> {
                    out.println("usage: handoff bench [--quick] [--no-write] [NAME...]   names: " + String.join(" ", NAMES));
                    return 0;
                }
                default -> {
                    if (!NAMES.contains(a)) {
                        err.println("handoff bench: unknown scenario '" + a + "'; known: " + String.join(" ", NAMES));
                        return 2;
                    }
                    names.add(a);
                }
            }
        }
        if (names.isEmpty()) {
            names.addAll(NAMES);
        }
        Map<String, Scenario> scenarios = scenarios();
        List<Result> results = new ArrayList<>();
        int failed = 0;
        long start = System.nanoTime();
        Path work = Files.createTempDirectory("handoff-bench");
        try (BenchContext ctx = new BenchContext(quick, work)) {
            for (String name : names) {
                long t0 = System.nanoTime();
                try {
                    for (Result r : scenarios.get(name).run(ctx)) {
                        out.println(r.line());
                        out.flush();
                        results.add(r);
                    }
                } catch (Exception | AssertionError e) {
                    failed++;
                    out.println("bench " + name + " FAILED " + e);
                    e.printStackTrace(err);
                }
                err.printf("handoff bench: %s took %.1f s%n", name, (System.nanoTime() - t0) / 1e9);
            }
        }
        err.printf("handoff bench: %d scenario(s) in %.1f s%n", names.size(), (System.nanoTime() - start) / 1e9);
        if (!quick && write && !results.isEmpty()) {
            Path doc = Report.write(Report.root().resolve("docs/BENCHMARKS.md"), results, Machine.describe(work.getParent()));
            err.println("handoff bench: wrote " + doc);
        }
        return failed == 0 ? 0 : 1;
    }

    static Map<String, Scenario> scenarios() {
        Map<String, Scenario> all = new LinkedHashMap<>();
        for (Scenario s : List.of(new DrainSmall(), new DrainLarge(), new EnqueueLatency(), new Recovery(), new ScaleOut(),
            new Backlog(), new DiskUsage())) {
            all.put(s.name(), s);
        }
        return all;
    }
}
