package dev.handoff.protocol.common;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gRPC server on {@code host:port} (port 0 picks a free one) that also serves
 * {@code grpc.health.v1}, optionally with TLS or mTLS. Owns the server; {@link #close()} stops it.
 */
public final class GrpcServer implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(GrpcServer.class);
    /** Largest message a server accepts: a 1 MiB chunk plus headroom, well under gRPC's limits. */
    public static final int MAX_INBOUND_MESSAGE_BYTES = 8 * 1024 * 1024;

    private final Server server;
    private final HealthStatusManager health;
    private final String name;

    private GrpcServer(String name, Server server, HealthStatusManager health) {
        this.name = name;
        this.server = server;
        this.health = health;
    }

    /** Starts a server with the given services; {@code tls} may be null for plaintext. */
    public static GrpcServer start(String name, String host, int port, TlsConfig tls, List<?> services) throws IOException {
        HealthStatusManager health = new HealthStatusManager();
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
            .maxInboundMessageSize(MAX_INBOUND_MESSAGE_BYTES)
            .addService(health.getHealthService());
        for (Object service : services) {
            if (service instanceof BindableService b) {
                builder.addService(b);
            } else if (service instanceof ServerServiceDefinition d) {
                builder.addService(d);
            } else {
                throw new IllegalArgumentException("not a gRPC service: " + service);
            }
        }
        if (tls != null) {
            if (!tls.hasIdentity()) {
                throw new IllegalArgumentException(name + ": a TLS server needs a certificate chain and key");
            }
            SslContextBuilder ssl = GrpcSslContexts.forServer(tls.certChain().toFile(), tls.privateKey().toFile());
            if (tls.trustCerts() != null) {
                ssl.trustManager(tls.trustCerts().toFile()).clientAuth(ClientAuth.REQUIRE);
            }
            builder.sslContext(ssl.build());
        }
        Server server = builder.build().start();
        health.setStatus("", ServingStatus.SERVING);
        LOGGER.atInfo().addKeyValue("server", name).addKeyValue("port", server.getPort())
            .addKeyValue("tls", tls == null ? "off" : tls.mutual() ? "mutual" : "on").log("gRPC server started");
        return new GrpcServer(name, server, health);
    }

    public int port() {
        return server.getPort();
    }

    /** The health manager, so the owner can report NOT_SERVING while it drains. */
    public HealthStatusManager health() {
        return health;
    }

    @Override
    public void close() {
        health.enterTerminalState();
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow();
                server.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
        LOGGER.atInfo().addKeyValue("server", name).log("gRPC server stopped");
    }
}
