package dev.handoff.protocol.common;

import dev.handoff.protocol.NodeAddress;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NegotiationType;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/** Opens gRPC channels to {@code host:port} addresses, plaintext or TLS. */
public final class GrpcChannels {
    private GrpcChannels() {
    }

    /** A channel to a valid {@code host:port}; {@code tls} may be null for plaintext. The caller owns it. */
    public static ManagedChannel open(String address, TlsConfig tls) {
        NodeAddress.require("address", address);
        NettyChannelBuilder builder = NettyChannelBuilder
            .forAddress(NodeAddress.host(address), NodeAddress.port(address))
            .maxInboundMessageSize(GrpcServer.MAX_INBOUND_MESSAGE_BYTES)
            .keepAliveTime(30, TimeUnit.SECONDS);
        if (tls == null) {
            builder.usePlaintext();
        } else {
            try {
                SslContextBuilder ssl = GrpcSslContexts.forClient();
                if (tls.trustCerts() != null) {
                    ssl.trustManager(tls.trustCerts().toFile());
                }
                if (tls.hasIdentity()) {
                    ssl.keyManager(tls.certChain().toFile(), tls.privateKey().toFile());
                }
                builder.sslContext(ssl.build()).negotiationType(NegotiationType.TLS);
            } catch (SSLException e) {
                throw new IllegalArgumentException("tls: cannot load PEM files for " + address + ": " + e.getMessage(), e);
            }
        }
        return builder.build();
    }

    /**
     * Makes a channel that failed to connect try again at once. gRPC's own reconnect backoff grows to minutes,
     * while handoff paces its retries itself (health-check interval, retry backoff): without this a node that
     * came back stays refused by our own channel long after it answers. Returns the channel.
     */
    public static ManagedChannel reconnectNow(ManagedChannel channel) {
        if (channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
            channel.resetConnectBackoff();
        }
        return channel;
    }

    /** Shuts a channel down, waiting briefly for calls in flight. */
    public static void close(ManagedChannel channel) {
        channel.shutdown();
        try {
            if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
                channel.shutdownNow();
            }
        } catch (InterruptedException e) {
            channel.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
