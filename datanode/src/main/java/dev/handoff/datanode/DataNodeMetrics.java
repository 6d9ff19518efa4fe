package dev.handoff.datanode;

import dev.handoff.protocol.common.PerValueCounters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** What a data node counts. Implementations are thread-safe. */
public interface DataNodeMetrics {

    /** How a session ended. */
    enum Outcome {
        APPLIED, DUPLICATE, REJECTED,
        /** The client cancelled or disconnected mid-session. */
        ABORTED,
        /** The node failed the session itself: an I/O error or an injected test failure. */
        FAILED
    }

    void session(Outcome outcome);

    /** Bytes of file data received and written. */
    void bytes(long count);

    /** Micrometer: {@code handoff.datanode.sessions{outcome}} and {@code handoff.datanode.bytes}. */
    static DataNodeMetrics micrometer(MeterRegistry registry) {
        Counter[] sessions = PerValueCounters.register(registry, Outcome.class, o -> Counter.builder(
            "handoff.datanode.sessions").description("PartSync sessions by how they ended").tag("outcome", o.name()));
        Counter bytes = Counter.builder("handoff.datanode.bytes").baseUnit("bytes")
            .description("File bytes received by PartSync sessions").register(registry);
        return new DataNodeMetrics() {
            @Override
            public void session(Outcome outcome) {
                sessions[outcome.ordinal()].increment();
            }

            @Override
            public void bytes(long count) {
                bytes.increment(count);
            }
        };
    }
}
