package dev.handoff.replayer;

import dev.handoff.protocol.common.GrpcChannels;
import dev.handoff.protocol.common.TlsConfig;
import io.grpc.ManagedChannel;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** One gRPC channel per {@code host:port}, opened on first use and closed with the pool. Thread-safe. */
final class ChannelPool implements AutoCloseable {
    private final TlsConfig tls;
    private final ConcurrentMap<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    private volatile boolean closed;

    ChannelPool(TlsConfig tls) {
        this.tls = tls;
    }

    ManagedChannel get(String address) {
        if (closed) {
            throw new IllegalStateException("channel pool is closed");
        }
        return channels.computeIfAbsent(address, a -> GrpcChannels.open(a, tls));
    }

    @Override
    public void close() {
        closed = true;
        channels.values().forEach(GrpcChannels::close);
        channels.clear();
    }
}
