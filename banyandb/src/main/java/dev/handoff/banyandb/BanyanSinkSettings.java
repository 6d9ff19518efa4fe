package dev.handoff.banyandb;

import dev.handoff.protocol.InvalidFieldException;
import dev.handoff.protocol.Names;
import dev.handoff.protocol.common.TlsConfig;
import java.time.Duration;

/**
 * How {@link ChunkedSyncSink} talks to BanyanDB data nodes.
 *
 * @param versions  the VersionInfo sent on every message ({@code --banyandb-api-version}, ...; default BanyanDB 0.10.x)
 * @param tls       TLS towards the data nodes, null = plaintext
 * @param timeout   longest wait for one answer (a chunk's, the completion's)
 * @param chunkSize bytes of file data per chunk; BanyanDB's sender uses 1 MiB (its receiver takes messages up to 10 MiB)
 * @param sender    {@code sender_node} of SyncMetadata (a label in the node's metrics)
 */
public record BanyanSinkSettings(BanyanVersions versions, TlsConfig tls, Duration timeout, int chunkSize, String sender) {
    public static final int DEFAULT_CHUNK_SIZE = 1024 * 1024;

    public BanyanSinkSettings {
        versions = versions == null ? BanyanVersions.DEFAULTS : versions;
        if (Names.required("timeout", timeout).toMillis() <= 0) {
            throw new InvalidFieldException("timeout", timeout, "must be positive");
        }
        if (chunkSize < 1024 || chunkSize > 4 * DEFAULT_CHUNK_SIZE) {
            throw new InvalidFieldException("chunkSize", chunkSize, "between 1024 and " + 4 * DEFAULT_CHUNK_SIZE + " bytes");
        }
        sender = sender == null ? "" : sender;
    }

    public static BanyanSinkSettings of(BanyanVersions versions, TlsConfig tls, Duration timeout) {
        return new BanyanSinkSettings(versions, tls, timeout, DEFAULT_CHUNK_SIZE, "");
    }

    public BanyanSinkSettings withChunkSize(int bytes) {
        return new BanyanSinkSettings(versions, tls, timeout, bytes, sender);
    }
}
