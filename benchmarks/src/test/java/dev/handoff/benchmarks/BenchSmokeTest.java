package dev.handoff.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Runs {@code bench --quick} for the cheap scenarios: every one prints well-formed lines. No timing is asserted. */
class BenchSmokeTest {
    private static final Pattern LINE = Pattern.compile(
        "bench (\\S+) value=-?[0-9.]+(\\S+) baseline=-?[0-9.]+(\\S+) ratio=-?[0-9.]+ min=-?[0-9.]+(\\S+)"
            + " max=-?[0-9.]+(\\S+) runs=1 met=(yes|no|–)");

    @Test
    void shouldPrintOneWellFormedLinePerResultForEveryQuickScenario() throws Exception {
        // Given the cheap scenarios in quick mode, without writing docs/BENCHMARKS.md
        List<String> names = List.of("disk", "enqueue-latency", "drain-small");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String[] args = concat(new String[] {"--quick", "--no-write"}, names.toArray(String[]::new));

        // When the benchmark runs
        int exit = BenchMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);

        // Then it succeeds and every scenario printed at least one well-formed row (one run: --quick) with matching units
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("bench ")).toList();
        assertThat(exit).isZero();
        assertThat(lines).allSatisfy(l -> {
            var m = LINE.matcher(l);
            assertThat(m.matches()).as("well-formed: %s", l).isTrue();
            assertThat(List.of(m.group(3), m.group(4), m.group(5))).as("units of %s", l).containsOnly(m.group(2));
        });
        for (String name : names) {
            assertThat(lines).as("lines of %s", name).anyMatch(l -> l.startsWith("bench " + name + " ")
                || l.startsWith("bench " + name + "."));
        }
    }

    @Test
    void shouldRefuseAnUnknownScenarioAsBadUsage() throws Exception {
        // Given a name that is not in the table
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        // When the benchmark is asked to run it
        int exit = BenchMain.run(new String[] {"--quick", "drain-everything"}, System.out,
            new PrintStream(err, true, StandardCharsets.UTF_8));

        // Then it exits with the usage code and names the known scenarios, without starting anything
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("drain-everything").contains("drain-small");
    }

    @Test
    void shouldRefuseARunCountBelowOneAsBadUsage() throws Exception {
        // Given --runs 0
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        // When the benchmark is asked to run with it
        int exit = BenchMain.run(new String[] {"--runs", "0", "disk"}, System.out,
            new PrintStream(err, true, StandardCharsets.UTF_8));

        // Then it exits with the usage code, naming the option, without starting anything
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--runs");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
