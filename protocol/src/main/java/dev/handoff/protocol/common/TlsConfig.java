package dev.handoff.protocol.common;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * TLS settings of one gRPC hop, all PEM files. A server needs {@code certChain} and
 * {@code privateKey}; with {@code trustCerts} it requires and verifies client certificates (mTLS).
 * A client needs {@code trustCerts} to verify the server and, for mTLS, its own chain and key.
 */
public record TlsConfig(Path certChain, Path privateKey, Path trustCerts) {

    public TlsConfig {
        for (Path p : new Path[] {certChain, privateKey, trustCerts}) {
            if (p != null && !Files.isReadable(p)) {
                throw new dev.handoff.protocol.InvalidFieldException("tls", p.toString(), "a readable PEM file");
            }
        }
        if ((certChain == null) != (privateKey == null)) {
            throw new dev.handoff.protocol.InvalidFieldException("tls", certChain == null ? "key only" : "cert only",
                "a certificate chain and its private key go together");
        }
    }

    public boolean hasIdentity() {
        return certChain != null;
    }

    public boolean mutual() {
        return trustCerts != null && certChain != null;
    }
}
