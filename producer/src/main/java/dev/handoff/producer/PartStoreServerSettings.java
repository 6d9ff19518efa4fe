package dev.handoff.producer;

import static java.util.Objects.requireNonNullElse;

import dev.handoff.protocol.InvalidFieldException;
import dev.handoff.protocol.NodeAddress;
import dev.handoff.protocol.common.TlsConfig;

/**
 * The PartStore gRPC server replayers fetch bundles from.
 *
 * @param host              host of {@code --listen HOST:PORT}: the interface it listens on; null for
 *                          {@value #DEFAULT_HOST}
 * @param port              port of {@code --listen HOST:PORT}, 0 picks a free one. Default {@value #DEFAULT_PORT}.
 * @param advertisedAddress {@code --advertised-address}: {@code host:port} replayers fetch from, written into every
 *                          record's {@code source}; null means {@code <listen host or local host name>:<bound port>}
 * @param tls               {@code --tls-cert}, {@code --tls-key}, {@code --tls-trust}: TLS of the server (mTLS when a
 *                          client CA is given); null for plaintext
 * @param chunkSizeBytes    {@code --chunk-size}: default Fetch chunk size and the cap of a requested one,
 *                          1 B - 4 MiB. Default 1 MiB.
 */
public record PartStoreServerSettings(String host, int port, String advertisedAddress, TlsConfig tls, int chunkSizeBytes) {
    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final int DEFAULT_PORT = 17913;
    public static final int DEFAULT_CHUNK_SIZE = 1024 * 1024;
    public static final int MAX_CHUNK_SIZE = 4 * 1024 * 1024;

    public PartStoreServerSettings {
        host = requireNonNullElse(host, DEFAULT_HOST);
        requireListen("listen", host, port);
        if (advertisedAddress != null) {
            NodeAddress.require("advertisedAddress", advertisedAddress);
        }
        if (chunkSizeBytes < 1 || chunkSizeBytes > MAX_CHUNK_SIZE) {
            throw new InvalidFieldException("chunkSizeBytes", chunkSizeBytes, "1-" + MAX_CHUNK_SIZE);
        }
    }

    /** Checks a listener's host and port; the fields are named {@code <prefix>Host} and {@code <prefix>Port}. */
    static void requireListen(String prefix, String host, int port) {
        if (host.isBlank()) {
            throw new InvalidFieldException(prefix + "Host", host, "a host name or IP address");
        }
        if (port < 0 || port > 65535) {
            throw new InvalidFieldException(prefix + "Port", port, "0-65535 (0 picks a free port)");
        }
    }
}
