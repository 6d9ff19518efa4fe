package dev.handoff.protocol.common;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Function;

/**
 * One Micrometer counter per value of an enum (an outcome, an input), registered once up front so that counting is
 * an array index ({@code counters[outcome.ordinal()].increment()}), never a registry lookup. Stateless.
 */
public final class PerValueCounters {
    private PerValueCounters() {
    }

    /**
     * Registers {@code meter.apply(value)} in {@code registry} for every value of {@code type} (name, description and
     * tag are the caller's); returns the counters indexed by the values' ordinals.
     */
    public static <E extends Enum<E>> Counter[] register(MeterRegistry registry, Class<E> type,
                                                         Function<E, Counter.Builder> meter) {
        E[] values = type.getEnumConstants();
        Counter[] counters = new Counter[values.length];
        for (E value : values) {
            counters[value.ordinal()] = meter.apply(value).register(registry);
        }
        return counters;
    }
}
