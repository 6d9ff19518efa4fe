package dev.handoff.benchmarks;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The runs of one row folded together: median value, baseline and ratio, the min–max spread, and "met?"
 * judged on the medians. The words (scenario, side numbers) come from the run whose value is the median.
 */
record Summary(String name, Result median, int runs, double value, double minValue, double maxValue, double baseline,
               double ratio, double minRatio, double maxRatio, String met, double load) {

    static Summary of(List<Result> runs, double load) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no runs");
        }
        List<Result> byValue = runs.stream().sorted(Comparator.comparingDouble(Result::value)).toList();
        Result mid = byValue.get((byValue.size() - 1) / 2);
        double value = median(runs.stream().mapToDouble(Result::value).toArray());
        double baseline = median(runs.stream().mapToDouble(Result::baseline).toArray());
        double[] ratios = runs.stream().mapToDouble(Result::ratio).toArray();
        double ratio = median(ratios);
        return new Summary(mid.name(), mid, runs.size(), value, byValue.get(0).value(),
            byValue.get(byValue.size() - 1).value(), baseline, ratio, Arrays.stream(ratios).min().orElseThrow(),
            Arrays.stream(ratios).max().orElseThrow(), mid.target().met(value, ratio), load);
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    String unit() {
        return median.unit();
    }

    /** The stdout line: {@code bench <name> value= baseline= ratio= min= max= runs= met=}. */
    String line() {
        String u = unit();
        return "bench " + name + " value=" + Result.number(value, u) + u + " baseline=" + Result.number(baseline, u) + u
            + " ratio=" + String.format(Locale.ROOT, "%.3f", ratio) + " min=" + Result.number(minValue, u) + u
            + " max=" + Result.number(maxValue, u) + u + " runs=" + runs + " met=" + met;
    }
}
