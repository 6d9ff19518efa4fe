package dev.handoff.replayer.internals;

import dev.handoff.protocol.common.GrpcChannels;
import dev.handoff.protocol.common.Reconnects;
import dev.handoff.protocol.common.TlsConfig;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One gRPC channel per {@code host:port}, opened on first use and closed with the pool. A channel that
 * failed to connect waits out gRPC's own reconnect backoff (growing to minutes) and fails every call
 * fast meanwhile; the replayer paces its attempts with its own backoff, so each use of a failed channel
 * asks for a fresh connection attempt and waits for it up to {@code connectWait} ({@code --backoff-initial}):
 * a node that came back is reached on this try, not after one more failure and backoff. Thread-safe.
 */
final class ChannelPool implements AutoCloseable {
    private final TlsConfig tls;
    private final Duration connectWait;
    private final ConcurrentMap<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    private final Reconnects reconnects = new Reconnects();
    private volatile boolean closed;

    ChannelPool(TlsConfig tls, Duration connectWait) {
        this.tls = tls;
        this.connectWait = connectWait;
    }

    ManagedChannel get(String address) {
        if (closed) {
            throw new IllegalStateException("channel pool is closed");
        }
        return reconnects.reconnect(channels.computeIfAbsent(address, a -> GrpcChannels.open(a, tls)), connectWait);
    }

    /**
     * Drops the connection under {@code address}'s channel after a call stalled past its deadline: a
     * connection whose peer vanished (a partition: no RST, no FIN) stays READY until gRPC keepalive gives
     * up on it (about 50 s), and every new call would queue on it; the next call connects afresh instead.
     * Calls still on the old connection continue.
     */
    void reset(String address) {
        ManagedChannel channel = channels.get(address);
        if (channel != null) {
            channel.enterIdle();
        }
    }

    @Override
    public void close() {
        closed = true;
        channels.values().forEach(GrpcChannels::close);
        channels.clear();
    }
}
