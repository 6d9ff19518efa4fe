package dev.handoff.protocol.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class PerValueCountersTest {
    enum Outcome { APPLIED, REJECTED }

    @Test
    void shouldRegisterOneTaggedCounterPerValueIndexedByOrdinal() {
        // Given counters for every outcome in a registry
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Counter[] counters = PerValueCounters.register(registry, Outcome.class,
            o -> Counter.builder("handoff.test.sessions").tag("outcome", o.name()));

        // When one outcome is counted twice through its ordinal
        counters[Outcome.APPLIED.ordinal()].increment();
        counters[Outcome.APPLIED.ordinal()].increment();

        // Then every value has its counter from the start, and only the counted one moved
        assertThat(counters).hasSize(2);
        assertThat(registry.get("handoff.test.sessions").tag("outcome", "APPLIED").counter().count()).isEqualTo(2.0);
        assertThat(registry.get("handoff.test.sessions").tag("outcome", "REJECTED").counter().count()).isZero();
    }
}
