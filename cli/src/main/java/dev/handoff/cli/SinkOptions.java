package dev.handoff.cli;

import dev.handoff.banyandb.BanyanVersions;
import dev.handoff.protocol.InvalidFieldException;
import dev.handoff.replayer.PartSink;
import picocli.CommandLine.Option;

/** Which protocol replayers speak to data nodes, and BanyanDB's version strings. */
public final class SinkOptions {
    /** The receiving side of a delivery. */
    enum Sink {
        /** handoff.v1.PartSync: `handoff datanode`, idempotent. */
        handoff,
        /** banyandb.cluster.v1.ChunkedSyncService: BanyanDB data nodes (or `handoff banyandb-node`). */
        banyandb
    }

    @Option(names = "--sink", defaultValue = "handoff", paramLabel = "handoff|banyandb",
        description = "Protocol towards data nodes: handoff (handoff.v1.PartSync) or banyandb (BanyanDB's "
            + "ChunkedSyncService/SyncPart) (default: ${DEFAULT-VALUE}).")
    Sink sink;
    @Option(names = "--banyandb-api-version", defaultValue = "0.10", paramLabel = "VERSION",
        description = "With --sink banyandb: the API version the data nodes run (default: ${DEFAULT-VALUE}).")
    String apiVersion;
    @Option(names = "--banyandb-file-format-version", defaultValue = "1.5.0", paramLabel = "VERSION",
        description = "With --sink banyandb: the parts' file format version (default: ${DEFAULT-VALUE}).")
    String fileFormatVersion;
    @Option(names = "--banyandb-compatible-file-format-versions", defaultValue = "1.4.0,1.5.0", paramLabel = "V,...",
        description = "With --sink banyandb: compatible_file_format_version sent (default: ${DEFAULT-VALUE}).")
    String compatibleVersions;

    boolean banyandb() {
        return sink == Sink.banyandb;
    }

    BanyanVersions versions() {
        return versions(apiVersion, fileFormatVersion, compatibleVersions);
    }

    /** Version options as BanyanVersions; a bad one is bad usage naming the field. */
    static BanyanVersions versions(String api, String format, String compatible) {
        try {
            return BanyanVersions.parse(api, format, compatible);
        } catch (InvalidFieldException e) {
            throw new UsageException("version options: " + e.getMessage());
        }
    }

    /** The replayer's sink factory: null for the default (handoff.v1.PartSync). */
    PartSink.Factory factory() {
        return banyandb() ? BanyanPartSink.factory(versions()) : null;
    }
}
