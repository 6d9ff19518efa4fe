package dev.handoff.benchmarks;

import dev.handoff.protocol.common.GrpcChannels;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The recovery baselines: a raw {@code grpc.health.v1} check loop against one address, one check every
 * {@code interval} (the producer's probe of a node that is not UP) with the producer's health timeout, and
 * nothing behind it. {@link #arm()} before the node returns; {@link #seenAt()} is when it first answered
 * SERVING after that. Owns one daemon thread and a channel; the two methods are thread-safe.
 */
final class HealthWatch implements AutoCloseable {
    /** The producer's probe interval of a node that is not UP ({@code HealthMonitor.DOWN_PROBE}). */
    static final Duration INTERVAL = Duration.ofMillis(200);
    /** The producer's default {@code --health-timeout}. */
    static final Duration TIMEOUT = Duration.ofMillis(800);

    private final ManagedChannel channel;
    private final Thread thread;
    private volatile boolean armed;
    private volatile long seenAt;
    private volatile boolean closed;

    HealthWatch(String address) {
        this.channel = GrpcChannels.open(address, null);
        this.thread = new Thread(this::loop, "bench-health-watch");
        thread.setDaemon(true);
        thread.start();
    }

    /** From now on, look for the next SERVING answer. */
    void arm() {
        seenAt = 0;
        armed = true;
    }

    /** {@link System#nanoTime()} of the first SERVING answer since {@link #arm()}, or 0 while none came. */
    long seenAt() {
        return seenAt;
    }

    private void loop() {
        long next = System.nanoTime();
        while (!closed) {
            if (armed && serving()) {
                seenAt = System.nanoTime();
                armed = false;
            }
            next += INTERVAL.toNanos();
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            } else {
                next = System.nanoTime();
            }
        }
    }

    private boolean serving() {
        try {
            channel.resetConnectBackoff();
            return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .check(HealthCheckRequest.getDefaultInstance()).getStatus() == HealthCheckResponse.ServingStatus.SERVING;
        } catch (RuntimeException e) {
            return false; // down: connection refused or deadline; the next tick tries again
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        thread.join(TIMEOUT.toMillis() * 2);
        GrpcChannels.close(channel);
    }
}
