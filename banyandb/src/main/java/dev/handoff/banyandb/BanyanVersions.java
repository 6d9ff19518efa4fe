package dev.handoff.banyandb;

import dev.handoff.banyandb.grpc.cluster.VersionInfo;
import dev.handoff.protocol.InvalidFieldException;
import dev.handoff.protocol.Names;
import java.util.ArrayList;
import java.util.List;

/**
 * The versions a BanyanDB data node checks on every chunk ({@code VersionInfo}): its API version must equal
 * {@code apiVersion}; its file format must equal {@code fileFormatVersion} or be in its compatible list. They must
 * match the data nodes' build (BanyanDB 0.10.x: {@code 0.10} / {@code 1.5.0}, compatible {@code 1.4.0,1.5.0}).
 *
 * @param apiVersion                   {@code api_version}, e.g. {@code 0.10}
 * @param fileFormatVersion            {@code file_format_version}, e.g. {@code 1.5.0}
 * @param compatibleFileFormatVersions {@code compatible_file_format_version}, e.g. {@code [1.4.0, 1.5.0]}
 */
public record BanyanVersions(String apiVersion, String fileFormatVersion, List<String> compatibleFileFormatVersions) {
    /** BanyanDB 0.10.3 / HEAD (2026-08). */
    public static final BanyanVersions DEFAULTS = new BanyanVersions("0.10", "1.5.0", List.of("1.4.0", "1.5.0"));

    public BanyanVersions {
        requireVersion("apiVersion", apiVersion);
        requireVersion("fileFormatVersion", fileFormatVersion);
        compatibleFileFormatVersions = List.copyOf(Names.required("compatibleFileFormatVersions", compatibleFileFormatVersions));
        compatibleFileFormatVersions.forEach(v -> requireVersion("compatibleFileFormatVersions", v));
    }

    /** From option text: the compatible list is comma-separated; empty means only {@code fileFormatVersion}. */
    public static BanyanVersions parse(String apiVersion, String fileFormatVersion, String compatible) {
        List<String> list = new ArrayList<>();
        for (String v : (compatible == null ? "" : compatible).split(",")) {
            if (!v.isBlank()) {
                list.add(v.trim());
            }
        }
        if (list.isEmpty()) {
            list.add(fileFormatVersion);
        }
        return new BanyanVersions(apiVersion, fileFormatVersion, list);
    }

    /** Whether a node with these versions accepts a sender's: the receiver's rule (API equal, format known). */
    public boolean accepts(VersionInfo sent) {
        return apiVersion.equals(sent.getApiVersion()) && acceptsFormat(sent.getFileFormatVersion());
    }

    boolean acceptsFormat(String format) {
        return fileFormatVersion.equals(format) || compatibleFileFormatVersions.contains(format);
    }

    public VersionInfo toProto() {
        return VersionInfo.newBuilder().setApiVersion(apiVersion).setFileFormatVersion(fileFormatVersion)
            .addAllCompatibleFileFormatVersion(compatibleFileFormatVersions).build();
    }

    @Override
    public String toString() {
        return "api " + apiVersion + ", file format " + fileFormatVersion + " (compatible " + String.join(",", compatibleFileFormatVersions) + ")";
    }

    private static void requireVersion(String field, String v) {
        if (v == null || !v.matches("[0-9A-Za-z.+-]{1,32}")) {
            throw new InvalidFieldException(field, v, "a version such as 0.10 or 1.5.0 ([0-9A-Za-z.+-], 1-32 characters)");
        }
    }
}
