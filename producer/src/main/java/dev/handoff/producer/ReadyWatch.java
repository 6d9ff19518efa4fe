package dev.handoff.producer;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * Runs a callback the moment a gRPC channel is READY. A fail-fast call made just after
 * {@code resetConnectBackoff} fails at once while the channel is still in {@code TRANSIENT_FAILURE}, although the
 * reconnection the reset started may succeed milliseconds later; {@link HealthMonitor} uses this to check a
 * returning node again then, instead of one probe interval later. At most one watch per channel; a watch follows
 * the channel's state changes ({@code notifyWhenStateChanged}) and ends at READY (running the callback), at
 * SHUTDOWN, or as soon as {@code stop} holds (checked at the start and at each change). Thread-safe.
 */
final class ReadyWatch {
    private final Set<ManagedChannel> watching = ConcurrentHashMap.newKeySet();

    /** Starts watching {@code channel} unless a watch of it is already running. */
    void whenReady(ManagedChannel channel, BooleanSupplier stop, Runnable ready) {
        if (watching.add(channel)) {
            follow(channel, stop, ready);
        }
    }

    /** Whether a watch of {@code channel} is running. */
    boolean watching(ManagedChannel channel) {
        return watching.contains(channel);
    }

    private void follow(ManagedChannel channel, BooleanSupplier stop, Runnable ready) {
        ConnectivityState now = channel.getState(false);
        if (now == ConnectivityState.SHUTDOWN || stop.getAsBoolean()) {
            watching.remove(channel);
        } else if (now == ConnectivityState.READY) {
            watching.remove(channel);
            ready.run();
        } else {
            channel.notifyWhenStateChanged(now, () -> follow(channel, stop, ready));
        }
    }
}
