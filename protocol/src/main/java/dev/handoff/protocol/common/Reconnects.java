package dev.handoff.protocol.common;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Waits for the new connection of a channel that had failed to connect. A call made on a channel in
 * {@code TRANSIENT_FAILURE} fails at once, even just after {@code resetConnectBackoff} asked for a new connection
 * (the channel reports failure until a connection is READY), so a caller about to call a node that came back
 * would fail and back off although the node answers a moment later. All waiters of one channel share one state
 * listener, registered while none is pending, so a node that stays down does not pile up listeners however often
 * it is tried. Thread-safe.
 */
public final class Reconnects {
    private final ConcurrentMap<ManagedChannel, CountDownLatch> pending = new ConcurrentHashMap<>();

    /**
     * Returns {@code channel} at once when it is not in failure. Otherwise asks it for a new connection and waits
     * until it leaves failure (READY, or another state), at most {@code max} (a node still down: the caller's call
     * then fails as it would have). An interrupt ends the wait and stays set.
     */
    public ManagedChannel reconnect(ManagedChannel channel, Duration max) {
        if (channel.getState(false) != ConnectivityState.TRANSIENT_FAILURE) {
            return channel;
        }
        channel.resetConnectBackoff();
        CountDownLatch mine = new CountDownLatch(1);
        CountDownLatch changed = pending.putIfAbsent(channel, mine);
        if (changed == null) {
            changed = mine;
            channel.notifyWhenStateChanged(ConnectivityState.TRANSIENT_FAILURE, () -> {
                pending.remove(channel, mine);
                mine.countDown();
            });
        }
        try {
            changed.await(max.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return channel;
    }

    /** Channels with a state listener registered and not fired yet. */
    public int pending() {
        return pending.size();
    }
}
