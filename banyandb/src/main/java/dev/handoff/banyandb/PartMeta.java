package dev.handoff.banyandb;

import dev.handoff.banyandb.grpc.cluster.PartInfo;
import java.math.BigInteger;
import java.util.Map;

/**
 * A part's metadata both ways: the liaison's {@code metadata.json} (core) or {@code manifest.json} (sidx) object
 * → the {@code PartInfo} fields the sender fills, and {@code PartInfo} → the JSON text a data node writes.
 * The key names and order are those of BanyanDB's {@code json.Marshal} of its {@code partMetadata} structs.
 * Stateless.
 */
public final class PartMeta {
    private PartMeta() {
    }

    /**
     * The PartInfo (without files) of one part type of bundle {@code partId}. A sidx part without
     * {@code minTimestamp} uses its {@code segmentID} when that is positive, as BanyanDB's sender does; a
     * missing {@code maxTimestamp} is the minimum.
     *
     * @throws BanyanSyncException POISON when a value is missing or not a number, or no min timestamp can be found
     */
    public static PartInfo toPartInfo(long partId, String partType, Map<String, Object> meta) throws BanyanSyncException {
        PartInfo.Builder b = PartInfo.newBuilder().setId(partId).setPartType(partType)
            .setCompressedSizeBytes(number(partType, meta, "compressedSizeBytes", 0L))
            .setTotalCount(number(partType, meta, "totalCount", 0L))
            .setBlocksCount(number(partType, meta, "blocksCount", 0L));
        if (WireNames.isCore(partType)) {
            long min = number(partType, meta, "minTimestamp", null);
            b.setUncompressedSizeBytes(number(partType, meta, "uncompressedSpanSizeBytes", 0L))
                .setMinTimestamp(min).setMaxTimestamp(number(partType, meta, "maxTimestamp", min));
        } else {
            Long min = meta.containsKey("minTimestamp") ? number(partType, meta, "minTimestamp", null) : null;
            if (min == null) {
                long segment = number(partType, meta, "segmentID", 0L);
                if (segment <= 0) {
                    throw new BanyanSyncException(BanyanSyncException.Kind.POISON, "sidx part " + partType
                        + " has neither minTimestamp nor a segmentID > 0 in its " + WireNames.MANIFEST_JSON);
                }
                min = segment;
            }
            b.setUncompressedSizeBytes(number(partType, meta, "uncompressedSizeBytes", 0L))
                .setMinKey(number(partType, meta, "minKey", 0L)).setMaxKey(number(partType, meta, "maxKey", 0L))
                .setMinTimestamp(min).setMaxTimestamp(meta.containsKey("maxTimestamp") ? number(partType, meta, "maxTimestamp", null) : min);
        }
        return b.build();
    }

    /** The core part's {@code metadata.json} as a data node writes it from the PartInfo. */
    public static String metadataJson(PartInfo p) {
        return "{\"compressedSizeBytes\":" + Long.toUnsignedString(p.getCompressedSizeBytes())
            + ",\"uncompressedSpanSizeBytes\":" + Long.toUnsignedString(p.getUncompressedSizeBytes())
            + ",\"totalCount\":" + Long.toUnsignedString(p.getTotalCount())
            + ",\"blocksCount\":" + Long.toUnsignedString(p.getBlocksCount())
            + ",\"minTimestamp\":" + p.getMinTimestamp() + ",\"maxTimestamp\":" + p.getMaxTimestamp() + "}";
    }

    /** A sidx part's {@code manifest.json} as a data node writes it: {@code id} and {@code segmentID} stay 0. */
    public static String manifestJson(PartInfo p) {
        return "{\"minTimestamp\":" + p.getMinTimestamp() + ",\"maxTimestamp\":" + p.getMaxTimestamp()
            + ",\"compressedSizeBytes\":" + Long.toUnsignedString(p.getCompressedSizeBytes())
            + ",\"uncompressedSizeBytes\":" + Long.toUnsignedString(p.getUncompressedSizeBytes())
            + ",\"totalCount\":" + Long.toUnsignedString(p.getTotalCount())
            + ",\"blocksCount\":" + Long.toUnsignedString(p.getBlocksCount())
            + ",\"minKey\":" + p.getMinKey() + ",\"maxKey\":" + p.getMaxKey() + ",\"id\":0,\"segmentID\":0}";
    }

    /** An integer field (uint64 values above Long.MAX_VALUE keep their bits, as on the wire). */
    private static long number(String type, Map<String, Object> meta, String key, Long fallback) throws BanyanSyncException {
        Object v = meta.get(key);
        if (v == null) {
            if (fallback != null) {
                return fallback;
            }
            throw new BanyanSyncException(BanyanSyncException.Kind.POISON, "part " + type + ": " + key + " is missing from its "
                + WireNames.metadataFile(type));
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short) {
            return ((Number) v).longValue();
        }
        if (v instanceof BigInteger big && big.bitLength() <= 64 && big.signum() >= 0) {
            return big.longValue();
        }
        throw new BanyanSyncException(BanyanSyncException.Kind.POISON, "part " + type + ": " + key + " " + v
            + " in its " + WireNames.metadataFile(type) + " is not a 64-bit integer");
    }
}
