package dev.handoff.replayer.internals;

import dev.handoff.protocol.NodeStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Every node's folded status (the topology's {@code node-status} topic, as this replayer reads it) as gauges
 * tagged {@code node}: pending parts and bytes, the oldest pending record's age, and whether the node is
 * deliverable (UP or UNKNOWN and not paused). Every replayer reads the whole topic, so each one exports
 * every node: dashboards and alerts take {@code max by (node)}. A node whose status was deleted reads NaN.
 * Thread-safe: registered from the status reader's thread, read from the scraping thread.
 */
final class NodeStatusGauges {
    private final MeterRegistry registry;
    private final Function<String, NodeStatus> statuses;
    private final Clock clock;
    private final java.util.Set<String> registered = java.util.concurrent.ConcurrentHashMap.newKeySet();

    NodeStatusGauges(MeterRegistry registry, Function<String, NodeStatus> statuses, Clock clock) {
        this.registry = registry;
        this.statuses = statuses;
        this.clock = clock;
    }

    /** Registers {@code node}'s gauges once (a node deleted and seen again keeps its gauges). */
    void register(String node) {
        if (!registered.add(node)) {
            return;
        }
        gauge(node, "handoff.node.pending.parts", "records pending for the node", NodeStatus::pendingParts);
        Gauge.builder("handoff.node.pending.bytes", () -> read(node, NodeStatus::pendingBytes)).tag("node", node)
            .baseUnit("bytes").strongReference(true).description("bytes of the bundles pending for the node").register(registry);
        gauge(node, "handoff.node.deliverable", "1 while the node is not DOWN and not paused, else 0",
            s -> s.deliverable() ? 1 : 0);
        TimeGauge.builder("handoff.node.oldest.pending.age", () -> read(node, this::oldestAgeMillis), TimeUnit.MILLISECONDS)
            .tag("node", node).strongReference(true).description("age of the node's oldest pending record (0 when none)")
            .register(registry);
    }

    private void gauge(String node, String name, String description, ToDoubleFunction<NodeStatus> value) {
        Gauge.builder(name, () -> read(node, value)).tag("node", node).strongReference(true)
            .description(description).register(registry);
    }

    private double oldestAgeMillis(NodeStatus s) {
        return s.oldestEnqueuedAt() == null ? 0 : Math.max(0, clock.millis() - s.oldestEnqueuedAt());
    }

    private double read(String node, ToDoubleFunction<NodeStatus> value) {
        NodeStatus s = statuses.apply(node);
        return s == null ? Double.NaN : value.applyAsDouble(s);
    }
}
