package dev.handoff.cli;

import dev.handoff.protocol.common.TlsConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** TLS of the producer's Enqueue listener; with --enqueue-tls-trust clients must present a trusted certificate (mTLS). */
public final class EnqueueTlsOptions {
    @Option(names = "--enqueue-tls-cert", paramLabel = "PEM", description = "Enqueue server certificate chain (PEM).")
    Path cert;

    @Option(names = "--enqueue-tls-key", paramLabel = "PEM", description = "Private key of --enqueue-tls-cert (PEM, PKCS#8).")
    Path key;

    @Option(names = "--enqueue-tls-trust", paramLabel = "PEM",
        description = "CA certificates of the clients allowed to enqueue (PEM): requires client certificates (mTLS), "
            + "which --enqueue-listen beyond loopback needs.")
    Path trust;

    /** The TLS settings, or null when no option was given. */
    public TlsConfig config() {
        return TlsOptions.config(cert, key, trust);
    }
}
