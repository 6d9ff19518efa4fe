package dev.handoff.replayer.internals;

import dev.handoff.protocol.Completion;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link ReplayerMetrics} on a Micrometer registry. Every meter is registered once: the untagged ones here,
 * the tagged ones on the first use of each tag value (nodes and park reasons are a small set), then looked
 * up in a map. Thread-safe.
 */
final class MicrometerReplayerMetrics implements ReplayerMetrics {
    private record NodeOutcome(String node, Completion.Outcome outcome) {
    }

    private final MeterRegistry registry;
    private final Timer latency;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger pausedNodes = new AtomicInteger();
    private final Map<NodeOutcome, Counter> parts = new ConcurrentHashMap<>();
    private final Map<String, Counter> bytes = new ConcurrentHashMap<>();
    private final Map<String, Counter> retries = new ConcurrentHashMap<>();
    private final Map<String, Counter> parked = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> limits = new ConcurrentHashMap<>();

    MicrometerReplayerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.latency = Timer.builder("handoff.replay.latency")
            .description("time from the start of a delivery to the receiver's answer").register(registry);
        Gauge.builder("handoff.replay.inflight", inFlight, AtomicInteger::get)
            .description("bundles being streamed to data nodes").register(registry);
        Gauge.builder("handoff.replay.paused.nodes", pausedNodes, AtomicInteger::get)
            .description("nodes whose partitions are paused (down or paused by an operator)").register(registry);
    }

    @Override
    public void completed(String node, Completion.Outcome outcome) {
        parts.computeIfAbsent(new NodeOutcome(node, outcome), k -> Counter.builder("handoff.replay.parts")
            .tag("node", k.node()).tag("outcome", k.outcome().name().toLowerCase(Locale.ROOT))
            .description("records completed").register(registry)).increment();
    }

    @Override
    public void deliveredBytes(String node, long n) {
        bytes.computeIfAbsent(node, k -> Counter.builder("handoff.replay.bytes").baseUnit("bytes").tag("node", k)
            .description("bytes of bundles applied by data nodes").register(registry)).increment(n);
    }

    @Override
    public void latency(Duration d) {
        latency.record(d);
    }

    @Override
    public void retried(String node) {
        retries.computeIfAbsent(node, k -> Counter.builder("handoff.replay.retries").tag("node", k)
            .description("failed deliveries that will be retried").register(registry)).increment();
    }

    @Override
    public void parked(String reason) {
        parked.computeIfAbsent(reason, k -> Counter.builder("handoff.replay.parked").tag("reason", k)
            .description("records parked").register(registry)).increment();
    }

    @Override
    public void inFlight(int n) {
        inFlight.set(n);
    }

    @Override
    public void pausedNodes(int n) {
        pausedNodes.set(n);
    }

    @Override
    public void concurrencyLimit(String node, int limit) {
        limits.computeIfAbsent(node, k -> {
            AtomicInteger value = new AtomicInteger();
            Gauge.builder("handoff.replay.concurrency.limit", value, AtomicInteger::get).tag("node", k)
                .description("deliveries a node may have in flight now (adaptive between 1 and --max-in-flight-per-node)")
                .register(registry);
            return value;
        }).set(limit);
    }
}
