package dev.handoff.replayer;

import dev.handoff.protocol.common.KafkaClientSupplier;
import dev.handoff.replayer.internals.ReplayerRuntime;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * The replayer role: a member of the replayer consumer group that delivers the bundles of the node
 * topics it is assigned to their data nodes and completes each record transactionally.
 *
 * <p>Threads: one poll thread owns the group consumer and the transactional producer;
 * {@link ReplayerSettings#deliveryThreads()} delivery threads stream bundles; one thread reads node
 * statuses. {@link #start()} and {@link #close()} may be called from any thread.
 */
public final class Replayer implements AutoCloseable {
    private final ReplayerSettings settings;
    private final ReplayerRuntime runtime;

    public Replayer(ReplayerSettings settings, MeterRegistry registry, Clock clock) {
        this(settings, registry, clock, KafkaClientSupplier.real());
    }

    /** With the given Kafka clients (mock ones in unit tests). */
    public Replayer(ReplayerSettings settings, MeterRegistry registry, Clock clock, KafkaClientSupplier clients) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.runtime = new ReplayerRuntime(settings, Objects.requireNonNull(registry, "registry"),
            Objects.requireNonNull(clock, "clock"), Objects.requireNonNull(clients, "clients"));
    }

    /** Starts every thread and client; returns at once (joining the group happens on the poll thread). */
    public void start() {
        runtime.start();
    }

    /**
     * True while the replayer is a member of its group, polling, and acting on current node statuses
     * (for /readyz): a replayer whose status reader failed or fell behind delivers nothing and is not ready.
     */
    public boolean isReady() {
        return runtime.isReady();
    }

    /**
     * Why the replayer stopped for good: a fatal Kafka failure (an ACL it lacks, wrong credentials, an invalid
     * setting) that rejoining cannot fix. Empty while it runs or retries. {@code handoff replayer} exits 1 with it.
     */
    public Optional<String> failure() {
        return runtime.failure();
    }

    public ReplayerSettings settings() {
        return settings;
    }

    /** Stops delivering, commits what is complete, leaves the group and closes every client and thread. */
    @Override
    public void close() {
        runtime.close();
    }
}
