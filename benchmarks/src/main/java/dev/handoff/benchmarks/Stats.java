package dev.handoff.benchmarks;

import java.util.Arrays;

/** Percentiles of latency samples (nearest-rank), in the samples' unit. */
final class Stats {
    private Stats() {
    }

    static double percentile(double[] samples, double p) {
        if (samples.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static double millis(long nanos) {
        return nanos / 1_000_000.0;
    }
}
