package dev.handoff.banyandb;

import dev.handoff.banyandb.grpc.cluster.SyncPartRequest;
import dev.handoff.banyandb.grpc.cluster.SyncPartResponse;
import dev.handoff.banyandb.grpc.cluster.SyncStatus;
import dev.handoff.banyandb.grpc.cluster.VersionCompatibility;
import dev.handoff.banyandb.grpc.cluster.VersionInfo;
import java.util.Optional;

/** The conformance receiver's answer to a chunk whose version_info it does not accept, as BanyanDB words it. */
final class VersionCheck {
    private VersionCheck() {
    }

    /** The refusal of {@code req}, or empty when its versions are accepted (or it carries none). */
    static Optional<SyncPartResponse> refusal(BanyanVersions versions, SyncPartRequest req) {
        if (!req.hasVersionInfo() || versions.accepts(req.getVersionInfo())) {
            return Optional.empty();
        }
        VersionInfo v = req.getVersionInfo();
        boolean api = versions.apiVersion().equals(v.getApiVersion());
        String reason = api ? "file format version " + v.getFileFormatVersion() + " is not compatible with "
            + versions.fileFormatVersion() : "API version " + v.getApiVersion() + " is not supported; server "
            + versions.apiVersion();
        return Optional.of(SyncPartResponse.newBuilder().setSessionId(req.getSessionId()).setChunkIndex(req.getChunkIndex())
            .setStatus(api ? SyncStatus.SYNC_STATUS_FORMAT_VERSION_MISMATCH : SyncStatus.SYNC_STATUS_VERSION_UNSUPPORTED)
            .setError(reason)
            .setVersionCompatibility(VersionCompatibility.newBuilder().setSupported(false)
                .setServerApiVersion(versions.apiVersion()).addSupportedApiVersions(versions.apiVersion())
                .setServerFileFormatVersion(versions.fileFormatVersion())
                .addAllSupportedFileFormatVersions(versions.compatibleFileFormatVersions()).setReason(reason))
            .build());
    }
}
