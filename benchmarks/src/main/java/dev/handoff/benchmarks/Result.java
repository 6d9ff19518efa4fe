package dev.handoff.benchmarks;

import java.util.Locale;

/**
 * One measured result of one run: the value, the baseline measured in the same run, and how to judge it.
 * {@code ratio} is always value / baseline. {@link Summary} folds the runs of one row together.
 *
 * @param name      row name, the scenario name or {@code <scenario>.<aspect>} ({@code enqueue-latency.p99})
 * @param scenario  what was measured, in words, with this run's side numbers (CPU, rates): goes into the table
 * @param value     the system's number
 * @param baseline  the same-run baseline's number, same unit
 * @param unit      {@code parts/s}, {@code MiB/s}, {@code ms}, {@code bytes}, {@code x}
 * @param target    the row's target, checked against the median of the runs
 * @param baselineHow how the baseline was measured, in words
 * @param reference the reference implementation's figure, for context only (never the baseline); may be empty
 */
record Result(String name, String scenario, double value, double baseline, String unit, Target target,
              String baselineHow, String reference) {

    double ratio() {
        return baseline == 0 ? 0 : value / baseline;
    }

    static String number(double v, String unit) {
        if (unit.equals("bytes") || Math.abs(v) >= 1000) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /** One run's line (to stderr): {@code bench <name> value=<v><unit> baseline=<b><unit> ratio=<r>}. */
    String line() {
        return "bench " + name + " value=" + number(value, unit) + unit + " baseline=" + number(baseline, unit) + unit
            + " ratio=" + String.format(Locale.ROOT, "%.3f", ratio());
    }
}
