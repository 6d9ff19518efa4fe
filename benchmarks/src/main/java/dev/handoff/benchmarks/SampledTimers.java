package dev.handoff.benchmarks;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.cumulative.CumulativeTimer;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.pause.PauseDetector;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A registry that also keeps every sample of one timer name, per value of one tag, so a benchmark can take exact
 * percentiles of what a role measures itself (Micrometer's own percentiles decay and cannot leave out a warm-up).
 * Benchmarks only: memory grows with the samples.
 */
final class SampledTimers extends SimpleMeterRegistry {
    private final String name;
    private final String tag;
    private final Map<String, List<Long>> samples = new ConcurrentHashMap<>();

    SampledTimers(String name, String tag) {
        this.name = name;
        this.tag = tag;
    }

    @Override
    protected Timer newTimer(Meter.Id id, DistributionStatisticConfig config, PauseDetector pauseDetector) {
        if (!id.getName().equals(name) || id.getTag(tag) == null) {
            return super.newTimer(id, config, pauseDetector);
        }
        List<Long> kept = samples.computeIfAbsent(id.getTag(tag), t -> new ArrayList<>());
        return new CumulativeTimer(id, clock, config, pauseDetector, TimeUnit.NANOSECONDS, false) {
            @Override
            protected void recordNonNegative(long amount, TimeUnit unit) {
                super.recordNonNegative(amount, unit);
                synchronized (kept) {
                    kept.add(unit.toNanos(amount));
                }
            }
        };
    }

    /** Forgets the samples so far (a warm-up). */
    void forgetSamples() {
        samples.values().forEach(l -> {
            synchronized (l) {
                l.clear();
            }
        });
    }

    /** The samples of the timer tagged {@code value}, in milliseconds (none if it never recorded). */
    double[] millis(String value) {
        List<Long> kept = samples.getOrDefault(value, List.of());
        synchronized (kept) {
            return kept.stream().mapToDouble(Stats::millis).toArray();
        }
    }
}
