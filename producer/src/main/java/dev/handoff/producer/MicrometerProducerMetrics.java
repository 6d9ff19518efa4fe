package dev.handoff.producer;

import dev.handoff.protocol.Health;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * {@link ProducerMetrics} on a Micrometer registry; names {@code handoff.<area>.<what>} in base units. Every meter is
 * registered once (the per-node health counters at a node's first transition), never per increment.
 */
final class MicrometerProducerMetrics implements ProducerMetrics {
    /** The reasons {@link ProducerMetrics#refused} is called with. */
    private static final List<String> REFUSED_REASONS = List.of("store_full", "node_quota", "io", "publish", "invalid");
    private final MeterRegistry registry;
    private final Counter fetchBytes;
    private final Counter copyFallbacks;
    private final Counter republished;
    private final Counter clientReplacements;
    private final Counter gcFailures;
    private final Counter expired;
    private final Timer enqueuedLatency;
    private final Timer refusedLatency;
    private final Timer storePhase;
    private final Timer publishPhase;
    private final Counter enqueuedParts;
    /** {@code handoff.enqueue.parts} refused, by reason. */
    private final Map<String, Counter> refusedParts = new ConcurrentHashMap<>();
    /** {@code handoff.health.transitions}, by node and then status. */
    private final Map<String, Map<Health, Counter>> transitions = new ConcurrentHashMap<>();

    public MicrometerProducerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.fetchBytes = Counter.builder("handoff.fetch.bytes").baseUnit("bytes")
            .description("bytes streamed to replayers by PartStore.Fetch").register(registry);
        this.copyFallbacks = Counter.builder("handoff.store.copy.fallbacks")
            .description("files copied because a hard link across file systems is impossible").register(registry);
        this.republished = Counter.builder("handoff.enqueue.republished")
            .description("bundles whose failed publish the running producer published again").register(registry);
        this.clientReplacements = Counter.builder("handoff.producer.client.replacements")
            .description("Kafka producer clients replaced after a publish had no acknowledgement within the publish timeout")
            .register(registry);
        this.gcFailures = Counter.builder("handoff.producer.gc.failures")
            .description("rounds of release collection that failed and are retried").register(registry);
        this.expired = Counter.builder("handoff.store.expired")
            .description("targets of stored bundles completed as EXPIRED (--max-age): never delivered").register(registry);
        this.enqueuedLatency = timer("enqueued");
        this.refusedLatency = timer("refused");
        this.storePhase = phase("store");
        this.publishPhase = phase("publish");
        this.enqueuedParts = counter("enqueued", "none");
        for (String reason : REFUSED_REASONS) {
            refusedParts.put(reason, counter("refused", reason));
        }
    }

    @Override
    public void storeSpace(StoreSpace space) {
        Gauge.builder("handoff.store.used.bytes", space, StoreSpace::usedBytes).baseUnit("bytes")
            .description("bytes of stored bundles, each counted once").register(registry);
        Gauge.builder("handoff.store.limit.bytes", space, StoreSpace::limitBytes).baseUnit("bytes")
            .description("the part store's size limit").register(registry);
        // One gauge per node that ever had a share (the node set is bounded by the cluster's data nodes).
        space.onNewNode(node -> Gauge.builder("handoff.store.node.used.bytes", () -> space.nodeUsedBytes(node))
            .tag("node", node).baseUnit("bytes")
            .description("bytes of stored bundles still pending for this node (its --store-max-bytes-per-node share)")
            .register(registry));
    }

    @Override
    public void enqueued(Duration latency, Duration store, Duration publish) {
        enqueuedLatency.record(latency);
        storePhase.record(store);
        publishPhase.record(publish);
        enqueuedParts.increment();
    }

    @Override
    public void refused(String reason, Duration latency) {
        refusedLatency.record(latency);
        refusedParts.computeIfAbsent(reason, r -> counter("refused", r)).increment();
    }

    @Override
    public void fetchedBytes(long bytes) {
        fetchBytes.increment(bytes);
    }

    @Override
    public void healthTransition(String node, Health to) {
        transitions.computeIfAbsent(node, n -> new ConcurrentHashMap<>())
            .computeIfAbsent(to, status -> Counter.builder("handoff.health.transitions").tag("node", node)
                .tag("outcome", status.name()).description("health transitions seen by this producer's monitor")
                .register(registry))
            .increment();
    }

    @Override
    public void copyFallback() {
        copyFallbacks.increment();
    }

    @Override
    public void unpublished(IntSupplier count) {
        // The supplier form holds the reference strongly (a state object would be weakly held and may read NaN).
        Gauge.builder("handoff.enqueue.unpublished", count::getAsInt)
            .description("stored bundles whose records wait for a republish").register(registry);
    }

    @Override
    public void marksWaiting(IntSupplier count) {
        Gauge.builder("handoff.enqueue.marks.waiting", count::getAsInt)
            .description("acknowledged bundles whose published mark is not on disk yet").register(registry);
    }

    @Override
    public void republished(int bundles) {
        republished.increment(bundles);
    }

    @Override
    public void gcFailure() {
        gcFailures.increment();
    }

    @Override
    public void storeCheck(StoreChecker checker) {
        for (StoreCheck.Kind kind : StoreCheck.Kind.values()) {
            String name = switch (kind) {
                case ORPHAN -> "orphans";
                case LOST -> "lost";
                case MISSING -> "missing";
                case DIFFERS -> "differs";
                case UNREADABLE -> "unreadable";
            };
            Gauge.builder("handoff.store.check." + name, checker, c -> c.count(kind))
                .description("the periodic store check's findings of this kind (see handoff store check)").register(registry);
        }
    }

    @Override
    public void expired() {
        expired.increment();
    }

    @Override
    public void kafkaClientReplaced() {
        clientReplacements.increment();
    }

    private Timer timer(String outcome) {
        return Timer.builder("handoff.enqueue.latency").tag("outcome", outcome)
            .description("time from enqueue call to every record acknowledged").register(registry);
    }

    /** {@code handoff.enqueue.phase.latency}: one phase of a successful enqueue, to tell a slow disk from a slow Kafka. */
    private Timer phase(String phase) {
        return Timer.builder("handoff.enqueue.phase.latency").tag("phase", phase)
            .description("time a successful enqueue spent storing the bundle durably (store) or waiting for Kafka's "
                + "acknowledgements (publish)").register(registry);
    }

    private Counter counter(String outcome, String reason) {
        return Counter.builder("handoff.enqueue.parts").tag("outcome", outcome).tag("reason", reason)
            .description("bundles enqueued or refused").register(registry);
    }
}
