package dev.handoff.producer;

import dev.handoff.protocol.Health;
import java.time.Duration;

/** What the producer measures. Implementations are thread-safe. */
interface ProducerMetrics {

    /** Registers the store gauges ({@code handoff.store.used.bytes}, {@code handoff.store.limit.bytes}). */
    void storeSpace(StoreSpace space);

    /**
     * An enqueue succeeded after {@code latency}, of which {@code store} went to storing the bundle durably and
     * {@code publish} to Kafka's acknowledgements ({@code handoff.enqueue.phase.latency}).
     */
    void enqueued(Duration latency, Duration store, Duration publish);

    /** An enqueue refused for {@code reason} ({@code store_full}, {@code invalid}, {@code io}, {@code publish}). */
    void refused(String reason, Duration latency);

    void fetchedBytes(long bytes);

    void healthTransition(String node, Health to);

    /** A file was copied because it could not be hard-linked across file systems. */
    void copyFallback();

    /** Registers {@code handoff.enqueue.unpublished}: stored bundles waiting for a republish. */
    void unpublished(java.util.function.IntSupplier count);

    /** Registers {@code handoff.enqueue.marks.waiting}: acknowledged bundles whose published mark is not on disk yet. */
    void marksWaiting(java.util.function.IntSupplier count);

    /** Bundles whose failed publish the running producer published again. */
    void republished(int bundles);

    /** A round of release collection failed and will be retried ({@code handoff.producer.gc.failures}). */
    void gcFailure();

    /** Registers the {@code handoff.store.check.*} gauges of the periodic store check. */
    void storeCheck(StoreChecker checker);

    /** A stored bundle's target completed as EXPIRED ({@code handoff.store.expired}): never delivered, released. */
    void expired();

    /** The Kafka producer client was found wedged and replaced. */
    void kafkaClientReplaced();
}
