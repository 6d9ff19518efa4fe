package dev.handoff.cli;

import dev.handoff.protocol.common.TlsConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** TLS of the channels a role opens to data nodes (or to liaisons' part stores). */
public final class NodeTlsOptions {
    @Option(names = "--client-tls-ca", paramLabel = "PEM", description = "CA certificates that sign the servers this role connects to (PEM). Turns client TLS on.")
    Path trust;

    @Option(names = "--client-tls-cert", paramLabel = "PEM", description = "Client certificate chain for mTLS (PEM).")
    Path cert;

    @Option(names = "--client-tls-key", paramLabel = "PEM", description = "Private key of --client-tls-cert (PEM, PKCS#8).")
    Path key;

    /** The client TLS settings, or null for plaintext. */
    public TlsConfig config() {
        return TlsOptions.config(cert, key, trust);
    }
}
