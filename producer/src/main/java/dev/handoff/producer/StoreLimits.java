package dev.handoff.producer;

import dev.handoff.protocol.InvalidFieldException;

/**
 * How much the part store may hold. When both store-wide limits are set the smaller one applies; at least one
 * must be set. A file system that reports no size leaves {@code maxBytes} alone (see {@link StoreSpace#limit}).
 *
 * @param maxBytes        {@code --store-max-bytes}: largest total size of stored bundles; null, the default, for no
 *                        byte limit
 * @param maxPercent      {@code --store-max-percent}: largest share (0-100] of the store file system's total size
 *                        that stored bundles may use; null or 0 (kept as null) for none. Default
 *                        {@value #DEFAULT_MAX_PERCENT}.
 * @param maxBytesPerNode {@code --store-max-bytes-per-node}: largest total size of the stored bundles one node is a
 *                        target of (a bundle counts in full against each of its targets' quotas, and once against
 *                        the store's limit); null, the default, for no per-node quota
 */
public record StoreLimits(Long maxBytes, Double maxPercent, Long maxBytesPerNode) {
    /** No byte limit: the percentage limit alone applies. */
    public static final Long DEFAULT_MAX_BYTES = null;
    public static final double DEFAULT_MAX_PERCENT = 90.0;
    /** No per-node quota: the store's limit alone applies. */
    public static final Long DEFAULT_MAX_BYTES_PER_NODE = null;

    public StoreLimits {
        if (maxPercent != null && maxPercent == 0) {
            maxPercent = null;
        }
        if (maxBytes == null && maxPercent == null) {
            throw new InvalidFieldException("storeMaxBytes", null,
                "set storeMaxBytes, storeMaxPercent or both (with storeMaxPercent off, storeMaxBytes is the only limit)");
        }
        if (maxBytes != null && maxBytes < 0) {
            throw new InvalidFieldException("storeMaxBytes", maxBytes, "must be >= 0");
        }
        if (maxPercent != null && (!(maxPercent > 0) || maxPercent > 100)) {
            throw new InvalidFieldException("storeMaxPercent", maxPercent, "a percentage in (0, 100], or 0 for none");
        }
        if (maxBytesPerNode != null && maxBytesPerNode < 0) {
            throw new InvalidFieldException("storeMaxBytesPerNode", maxBytesPerNode, "must be >= 0, or null for none");
        }
    }
}
