package dev.handoff.replayer.internals;

import io.grpc.Context;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Cancels a fetch whose part store sent nothing for {@code timeout}: a {@code PartStore.Fetch} has no
 * deadline of its own (a large bundle may take long), so without this a fetch across a partition (no
 * RST, no FIN) waits for gRPC keepalive, about 50 s, and on a connection opened during the partition for
 * ever. Armed only while the delivery waits for the part store (not while it waits for the data node).
 * Used by the one delivery thread that owns the fetch; the timer thread only cancels.
 */
final class FetchWatchdog implements AutoCloseable {
    private final Context.CancellableContext context;
    private final ScheduledExecutorService timer;
    private final Duration timeout;
    private volatile boolean fired;
    private ScheduledFuture<?> pending;

    FetchWatchdog(Context.CancellableContext context, ScheduledExecutorService timer, Duration timeout) {
        this.context = context;
        this.timer = timer;
        this.timeout = timeout;
    }

    /** The delivery waits for the part store's next chunk: it has {@code timeout} to send it. */
    void arm() {
        pending = timer.schedule(() -> {
            fired = true;
            context.cancel(null);
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The chunk (or the end, or an error) arrived. */
    void disarm() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }

    /** True when the fetch was cancelled because the part store went silent. */
    boolean fired() {
        return fired;
    }

    Duration timeout() {
        return timeout;
    }

    @Override
    public void close() {
        disarm();
    }
}
