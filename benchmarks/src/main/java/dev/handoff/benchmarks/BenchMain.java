package dev.handoff.benchmarks;

import dev.handoff.protocol.common.Durable;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bin/handoff bench [--quick] [--runs N] [NAME...]}: runs the named scenarios (all by default) against one
 * embedded broker, real gRPC on localhost and real files, each {@code N} times (3 by default, 1 with
 * {@code --quick}), prints one line per row on stdout (medians, spread, met?) and, in a full run, writes the table
 * to {@code docs/BENCHMARKS.md}. Each run's own lines go to stderr. {@code --quick} shrinks every scenario so the
 * whole run takes well under two minutes; its numbers are a smoke test, not a measurement.
 */
public final class BenchMain {
    /**
     * The scenarios by name, in table order ({@code drain-small.banyandb}, drain-small through the BanyanDB-native
     * sink, is ranked with drain-small, so the two sinks stand side by side).
     */
    static final Map<String, Scenario> SCENARIOS = scenarios();
    /** Scenario names in table order. */
    static final List<String> NAMES = List.copyOf(SCENARIOS.keySet());
    static final int DEFAULT_RUNS = 3;

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
        Integer runs = null;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick" -> quick = true;
                case "--no-write" -> write = false;
                case "--runs" -> {
                    runs = i + 1 < args.length ? parseRuns(args[++i]) : null;
                    if (runs == null) {
                        err.println("handoff bench: --runs needs a whole number >= 1");
                        return 2;
                    }
                }
                case "-h", "--help" -> {
                    out.println("usage: handoff bench [--quick] [--runs N] [--no-write] [NAME...]   names: "
                        + String.join(" ", NAMES));
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
        int n = runs != null ? runs : quick ? 1 : DEFAULT_RUNS;
        List<Summary> summaries = new ArrayList<>();
        int failed = 0;
        long start = System.nanoTime();
        Path work = Files.createTempDirectory("handoff-bench");
        err.println("handoff bench: load average at the start " + Machine.loadAverages());
        try (BenchContext ctx = new BenchContext(quick, work)) {
            for (String name : names) {
                long t0 = System.nanoTime();
                try {
                    Map<String, List<Result>> byRow = new LinkedHashMap<>();
                    for (int r = 1; r <= n; r++) {
                        for (Result result : runOnce(ctx, name)) {
                            err.println("handoff bench: run " + r + "/" + n + ": " + result.line());
                            err.println("handoff bench:   " + result.name() + ": " + result.scenario() + "; baseline: " + result.baselineHow());
                            byRow.computeIfAbsent(result.name(), k -> new ArrayList<>()).add(result);
                        }
                    }
                    double load = Machine.loadAverage1();
                    for (List<Result> rowRuns : byRow.values()) {
                        Summary s = Summary.of(rowRuns, load);
                        out.println(s.line());
                        out.flush();
                        summaries.add(s);
                    }
                } catch (Exception | AssertionError e) {
                    failed++;
                    out.println("bench " + name + " FAILED " + e);
                    e.printStackTrace(err);
                }
                err.printf("handoff bench: %s took %.1f s (load average %s)%n", name, (System.nanoTime() - t0) / 1e9,
                    Machine.loadAverages());
            }
        }
        err.printf("handoff bench: %d scenario(s) in %.1f s%n", names.size(), (System.nanoTime() - start) / 1e9);
        if (!quick && write && !summaries.isEmpty()) {
            Path doc = Report.write(Report.root().resolve("docs/BENCHMARKS.md"), summaries, Machine.describe(work.getParent()));
            err.println("handoff bench: wrote " + doc);
        }
        return failed == 0 ? 0 : 1;
    }

    private static Integer parseRuns(String s) {
        try {
            int v = Integer.parseInt(s);
            return v >= 1 ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** One run of scenario {@code name} in a fresh work directory, deleted afterwards. */
    private static List<Result> runOnce(BenchContext ctx, String name) throws Exception {
        Path work = ctx.dir(name);
        try {
            return SCENARIOS.get(name).run(ctx, name, work);
        } finally {
            Durable.deleteTree(work);
        }
    }

    private static Map<String, Scenario> scenarios() {
        Map<String, Scenario> all = new LinkedHashMap<>();
        all.put("drain-small", new DrainSmall());
        all.put("drain-small.banyandb", new DrainSmallBanyan());
        all.put("pipeline", new Pipeline());
        all.put("drain-large", new DrainLarge());
        all.put("enqueue-latency", new EnqueueLatency());
        all.put("recovery", new Recovery());
        all.put("recovery-after-death", new RecoveryAfterDeath());
        all.put("scale-out", new ScaleOut());
        all.put("fairness", new Fairness());
        all.put("backlog", new Backlog());
        all.put("disk", new DiskUsage());
        return java.util.Collections.unmodifiableMap(all);
    }
}
