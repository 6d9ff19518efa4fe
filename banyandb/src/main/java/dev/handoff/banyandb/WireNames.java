package dev.handoff.banyandb;

/**
 * On-disk file names of a BanyanDB part and their names on the wire ({@code FileInfo.name}), both ways:
 * core {@code meta.bin}→{@code meta}, {@code <tag>.t}→{@code t:<tag>}, {@code <tag>.tm}→{@code tm:<tag>};
 * sidx {@code data.bin}→{@code data}, {@code <tag>.td}→{@code td:<tag>}, ... Stateless.
 */
public final class WireNames {
    /** The core part's {@code part_type}; every other type is a sidx part named by its index rule. */
    public static final String CORE = "core";
    /** The core part's metadata, sent as PartInfo fields. */
    public static final String METADATA_JSON = "metadata.json";
    /** A sidx part's metadata, sent as PartInfo fields. */
    public static final String MANIFEST_JSON = "manifest.json";

    private static final String[] CORE_BIN = {"meta", "primary", "spans"};
    private static final String[] SIDX_BIN = {"meta", "primary", "data", "keys"};
    private static final String[] CORE_TAG = {"t", "tm"};
    private static final String[] SIDX_TAG = {"td", "tm", "tf"};

    private WireNames() {
    }

    public static boolean isCore(String partType) {
        return CORE.equals(partType);
    }

    /** The JSON file whose content a part of this type sends as PartInfo fields. */
    public static String metadataFile(String partType) {
        return isCore(partType) ? METADATA_JSON : MANIFEST_JSON;
    }

    /**
     * The wire name of an on-disk file, or null for a file BanyanDB never sends (the metadata JSON, the core's
     * {@code smeta.bin}, dot-files, {@code *.tmp} leftovers). A name it does not know is sent as it is, so the
     * data node, not this table, decides (it refuses it: "unknown file type").
     */
    public static String toWire(String partType, String fileName) {
        if (fileName.startsWith(".") || fileName.endsWith(".tmp") || fileName.equals(metadataFile(partType))
            || isCore(partType) && fileName.equals("smeta.bin")) {
            return null;
        }
        boolean core = isCore(partType);
        for (String bin : core ? CORE_BIN : SIDX_BIN) {
            if (fileName.equals(bin + ".bin")) {
                return bin;
            }
        }
        for (String suffix : core ? CORE_TAG : SIDX_TAG) {
            String ext = "." + suffix;
            if (fileName.endsWith(ext) && fileName.length() > ext.length()) {
                return suffix + ":" + fileName.substring(0, fileName.length() - ext.length());
            }
        }
        return fileName;
    }

    /**
     * The on-disk file a wire name is written to, or null when the data node refuses the name: the routing of
     * BanyanDB's trace handler ({@code traceID.filter} and {@code tag.type} only in the core part).
     */
    public static String toDisk(String partType, String wireName) {
        boolean core = isCore(partType);
        for (String bin : core ? CORE_BIN : SIDX_BIN) {
            if (wireName.equals(bin)) {
                return bin + ".bin";
            }
        }
        if (core && (wireName.equals("traceID.filter") || wireName.equals("tag.type"))) {
            return wireName;
        }
        for (String prefix : core ? CORE_TAG : SIDX_TAG) {
            if (wireName.startsWith(prefix + ":") && wireName.length() > prefix.length() + 1) {
                return wireName.substring(prefix.length() + 1) + "." + prefix;
            }
        }
        return null;
    }
}
