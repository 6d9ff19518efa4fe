package dev.handoff.replayer.internals;

import dev.handoff.protocol.Completion;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The replayer's meters, all {@code handoff.replay.*}: parts by node and outcome, delivered bytes by
 * node, delivery latency, in-flight bundles, retries by node, parked records by reason, paused nodes.
 * Thread-safe.
 */
final class ReplayerMetrics {
    private final MeterRegistry registry;
    private final Timer latency;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger pausedNodes = new AtomicInteger();

    ReplayerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.latency = Timer.builder("handoff.replay.latency")
            .description("time from the start of a delivery to the receiver's answer").register(registry);
        Gauge.builder("handoff.replay.inflight", inFlight, AtomicInteger::get)
            .description("bundles being streamed to data nodes").register(registry);
        Gauge.builder("handoff.replay.paused.nodes", pausedNodes, AtomicInteger::get)
            .description("nodes whose partitions are paused (down or paused by an operator)").register(registry);
    }

    /** One record completed with {@code outcome}. */
    void completed(String node, Completion.Outcome outcome) {
        Counter.builder("handoff.replay.parts").tag("node", node).tag("outcome", outcome.name().toLowerCase())
            .description("records completed").register(registry).increment();
    }

    void deliveredBytes(String node, long bytes) {
        Counter.builder("handoff.replay.bytes").baseUnit("bytes").tag("node", node)
            .description("bytes of bundles applied by data nodes").register(registry).increment(bytes);
    }

    void latency(Duration d) {
        latency.record(d);
    }

    void retried(String node) {
        Counter.builder("handoff.replay.retries").tag("node", node).description("failed deliveries that will be retried")
            .register(registry).increment();
    }

    void parked(String reason) {
        Counter.builder("handoff.replay.parked").tag("reason", reason).description("records parked")
            .register(registry).increment();
    }

    void inFlight(int n) {
        inFlight.set(n);
    }

    void pausedNodes(int n) {
        pausedNodes.set(n);
    }
}
