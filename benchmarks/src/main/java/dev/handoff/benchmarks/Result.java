package dev.handoff.benchmarks;

import java.util.Locale;

/**
 * One measured result: the value, the raw baseline measured in the same run (or the reference figure
 * the issue names), and whether the target holds. {@code ratio} is always value / baseline.
 *
 * @param name     result name, the scenario name or {@code <scenario>.<aspect>} ({@code enqueue-latency.p99})
 * @param scenario what was measured, in words (goes into the table)
 * @param value    the system's number
 * @param baseline the baseline's number, same unit
 * @param unit     {@code parts/s}, {@code MiB/s}, {@code ms}, {@code bytes}, {@code x}
 * @param target   the target in words ({@code ratio <= 1.5})
 * @param met      whether the target holds for this run
 * @param note     how the baseline was obtained, scale-downs, anything a reader must know; may be empty
 */
record Result(String name, String scenario, double value, double baseline, String unit, String target, boolean met,
              String note) {

    double ratio() {
        return baseline == 0 ? 0 : value / baseline;
    }

    /** The one line a result prints: {@code bench <name> value=<v><unit> baseline=<b><unit> ratio=<r>}. */
    String line() {
        return "bench " + name + " value=" + number(value) + unit + " baseline=" + number(baseline) + unit
            + " ratio=" + String.format(Locale.ROOT, "%.3f", ratio());
    }

    String number(double v) {
        if (unit.equals("bytes") || Math.abs(v) >= 1000) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
