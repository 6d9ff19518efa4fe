package dev.handoff.benchmarks;

import java.util.Locale;

/**
 * The target of one result row, checked against the median of its runs: an absolute bound on the value, a
 * bound on value / same-run baseline, both, or none ({@link #NONE}: the row states no target and "met?" is "–").
 *
 * @param text     the target in words, as the table shows it
 * @param minValue value must be at least this (NaN: no bound)
 * @param maxValue value must be at most this (NaN: no bound)
 * @param minRatio ratio must be at least this (NaN: no bound)
 * @param maxRatio ratio must be at most this (NaN: no bound)
 * @param also     a further condition of the row, already judged by the scenario (true when there is none)
 */
record Target(String text, double minValue, double maxValue, double minRatio, double maxRatio, boolean also) {
    static final Target NONE = new Target("–", Double.NaN, Double.NaN, Double.NaN, Double.NaN, true);

    static Target atLeast(double value, String unit) {
        return new Target(">= " + fmt(value) + " " + unit, value, Double.NaN, Double.NaN, Double.NaN, true);
    }

    static Target atMost(double value, String unit) {
        return new Target("<= " + fmt(value) + " " + unit, Double.NaN, value, Double.NaN, Double.NaN, true);
    }

    static Target ratioAtLeast(double ratio, String baselineName) {
        return new Target(">= " + fmt(ratio) + "x " + baselineName, Double.NaN, Double.NaN, ratio, Double.NaN, true);
    }

    static Target ratioAtMost(double ratio, String baselineName) {
        return new Target("<= " + fmt(ratio) + "x " + baselineName, Double.NaN, Double.NaN, Double.NaN, ratio, true);
    }

    /** This target and {@code other}: both must hold. */
    Target and(Target other) {
        return new Target(text + " and " + other.text, pick(minValue, other.minValue), pick(maxValue, other.maxValue),
            pick(minRatio, other.minRatio), pick(maxRatio, other.maxRatio), also && other.also);
    }

    /** This target and a condition the scenario judged itself ({@code text} says what it is). */
    Target and(String conditionText, boolean holds) {
        return new Target(text + " and " + conditionText, minValue, maxValue, minRatio, maxRatio, also && holds);
    }

    boolean hasTarget() {
        return !(Double.isNaN(minValue) && Double.isNaN(maxValue) && Double.isNaN(minRatio) && Double.isNaN(maxRatio));
    }

    /** "yes", "no", or "–" when there is no target. */
    String met(double value, double ratio) {
        if (!hasTarget()) {
            return "–";
        }
        boolean ok = also && (Double.isNaN(minValue) || value >= minValue) && (Double.isNaN(maxValue) || value <= maxValue)
            && (Double.isNaN(minRatio) || ratio >= minRatio) && (Double.isNaN(maxRatio) || ratio <= maxRatio);
        return ok ? "yes" : "no";
    }

    private static double pick(double a, double b) {
        return Double.isNaN(a) ? b : a;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
