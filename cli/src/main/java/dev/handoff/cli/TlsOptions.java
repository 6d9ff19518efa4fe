package dev.handoff.cli;

import dev.handoff.protocol.common.TlsConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** PEM files for a role's gRPC server or client. With --tls-trust on a server, clients must present a trusted certificate (mTLS). */
public final class TlsOptions {
    @Option(names = "--tls-cert", paramLabel = "PEM", description = "Certificate chain (PEM). Turns TLS on.")
    Path cert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "Private key of --tls-cert (PEM, PKCS#8).")
    Path key;

    @Option(names = "--tls-trust", paramLabel = "PEM",
        description = "Trusted CA certificates (PEM): on a server, require client certificates (mTLS); on a client, verify the server.")
    Path trust;

    /** The TLS settings, or null when no TLS option was given. */
    public TlsConfig config() {
        return config(cert, key, trust);
    }

    /** TLS from three PEM options (every TLS option group has them), or null when none of them was given. */
    static TlsConfig config(Path cert, Path key, Path trust) {
        if (cert == null && key == null && trust == null) {
            return null;
        }
        return new TlsConfig(cert, key, trust);
    }
}
