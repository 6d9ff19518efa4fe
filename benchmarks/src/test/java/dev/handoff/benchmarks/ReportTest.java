package dev.handoff.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated table: one row per result with median, spread, baseline, met?; text outside the markers kept. */
class ReportTest {
    @TempDir
    Path dir;

    @Test
    void shouldReplaceOnlyTheGeneratedBlockAndDropRowsOfAnOlderLayout() throws Exception {
        // Given a doc with prose around an older table
        Path doc = dir.resolve("BENCHMARKS.md");
        Files.writeString(doc, "# B\nintro\n" + Report.BEGIN + "\n| name | scenario | value |\n|---|---|---|\n"
            + "| scale-out.inflight-4 | old | 1 |\n" + Report.END + "\nanalysis\n");
        Result r = new Result("drain-small", "20 bundles", 100, 400, "parts/s", Target.ratioAtLeast(0.8, "disk ceiling"),
            "disk probe", "reference: 10 parts/s per node");

        // When a run's rows are written
        Report.write(doc, List.of(Summary.of(List.of(r, r), 2.5)), List.of("cores: 2"));

        // Then the prose is kept, the old row is gone, and the new row says value, spread, baseline, ratio and met?
        String text = Files.readString(doc);
        assertThat(text).startsWith("# B\nintro\n").endsWith(Report.END + "\nanalysis\n").contains("- cores: 2")
            .doesNotContain("inflight-4");
        assertThat(text).contains("| drain-small | 100.00 parts/s | 100.00–100.00 parts/s (2) | 400.00 parts/s | "
            + "0.250 (0.250–0.250) | >= 0.80x disk ceiling | **no** | reference: 10 parts/s per node | 20 bundles; "
            + "baseline: disk probe; load 2.5 |");
    }
}
