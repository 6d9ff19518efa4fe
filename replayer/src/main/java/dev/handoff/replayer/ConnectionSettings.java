package dev.handoff.replayer;

import static java.util.Objects.requireNonNullElse;

import dev.handoff.protocol.InvalidFieldException;
import dev.handoff.protocol.common.TlsConfig;
import dev.handoff.replayer.internals.AddressAllowlist;
import java.util.List;

/**
 * How the replayer reaches the part stores it fetches from and the data nodes it delivers to, and which of them
 * it may dial at all.
 *
 * @param chunkSize      bytes per file chunk asked from the part store ({@code --chunk-size}, default 1 MiB,
 *                       1 KiB - 4 MiB)
 * @param fetchTls       TLS towards the part stores, null = plaintext ({@code --fetch-tls-*})
 * @param syncTls        TLS towards the data nodes, null = plaintext ({@code --sync-tls-*})
 * @param allowedSources hosts a record's {@code source} may name (host patterns or CIDRs, {@link AddressAllowlist});
 *                       a record outside is parked {@code not-allowed} without being fetched ({@code --allowed-sources},
 *                       null or empty: any)
 * @param allowedNodes   the same for a record's {@code node}: never dialled outside it ({@code --allowed-nodes},
 *                       null or empty: any)
 */
public record ConnectionSettings(int chunkSize, TlsConfig fetchTls, TlsConfig syncTls, AddressAllowlist allowedSources,
                                 AddressAllowlist allowedNodes) {
    public static final int DEFAULT_CHUNK_SIZE = 1024 * 1024;
    public static final int MAX_CHUNK_SIZE = 4 * 1024 * 1024;

    public ConnectionSettings {
        if (chunkSize < 1024 || chunkSize > MAX_CHUNK_SIZE) {
            throw new InvalidFieldException("chunkSize", chunkSize, "between 1024 and " + MAX_CHUNK_SIZE + " bytes");
        }
        allowedSources = requireNonNullElse(allowedSources, AddressAllowlist.of("allowedSources", List.of()));
        allowedNodes = requireNonNullElse(allowedNodes, AddressAllowlist.of("allowedNodes", List.of()));
    }
}
