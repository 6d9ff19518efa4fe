package dev.handoff.producer;

import static java.util.Objects.requireNonNullElse;

import dev.handoff.protocol.InvalidFieldException;
import dev.handoff.protocol.common.TlsConfig;
import java.nio.file.Path;

/**
 * The {@code handoff.v1.Liaison} Enqueue gRPC server, a listener of its own: whoever reaches it can enqueue any
 * part under the root for any node, which the part store's readers must not be able to do.
 *
 * @param root {@code --enqueue-root}: serve Enqueue for part directories under this directory (on this host);
 *             null, the default, does not serve it
 * @param host host of {@code --enqueue-listen HOST:PORT}; null for {@value #DEFAULT_HOST}. Any other than a
 *             loopback address requires {@code tls} with client certificates.
 * @param port port of {@code --enqueue-listen}, 0 picks a free one. Default {@value #DEFAULT_PORT}.
 * @param tls  {@code --enqueue-tls-cert}, {@code --enqueue-tls-key}, {@code --enqueue-tls-trust}: mTLS with a trust
 *             file; null for plaintext (loopback only)
 */
public record EnqueueServerSettings(Path root, String host, int port, TlsConfig tls) {
    /** Enqueue listens on loopback only unless mTLS protects it. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 17914;

    public EnqueueServerSettings {
        host = requireNonNullElse(host, DEFAULT_HOST);
        PartStoreServerSettings.requireListen("enqueueListen", host, port);
        if (root != null && !Loopback.is(host) && (tls == null || !tls.mutual())) {
            throw new InvalidFieldException("enqueueListenHost", host,
                "Enqueue may listen beyond loopback only with mTLS (--enqueue-tls-cert, --enqueue-tls-key and "
                    + "--enqueue-tls-trust): anyone who reaches it could enqueue any part under the root for any node");
        }
    }
}
