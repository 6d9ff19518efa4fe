package dev.handoff.producer;

import dev.handoff.protocol.InvalidFieldException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Size accounting of the part store: the bytes of every stored bundle counted once (the hard links
 * share their blocks with the liaison's files), against a fixed limit. Reservation is one
 * compare-and-set, so concurrent enqueues never overshoot the limit together. Beside it, each node's share: the
 * bytes of the stored bundles still pending for that node (a bundle counts in full against each of its pending
 * targets, and once against the store), limited by the per-node quota when one is set. Thread-safe: the per-node
 * account is guarded by its map's lock.
 */
final class StoreSpace {
    private static final Logger LOGGER = LoggerFactory.getLogger(StoreSpace.class);
    private final long limitBytes;
    private final AtomicLong usedBytes = new AtomicLong();
    /** Null: no per-node quota (the shares are still counted, for the gauge). */
    private final Long nodeLimitBytes;
    private final Map<String, Long> nodeUsed = new HashMap<>();
    /** Told each node the first time it has a share (the per-node gauge); called under the map's lock. */
    private volatile java.util.function.Consumer<String> onNewNode = n -> { };

    public StoreSpace(long limitBytes) {
        this(limitBytes, null);
    }

    public StoreSpace(long limitBytes, Long nodeLimitBytes) {
        if (limitBytes < 0) {
            throw new IllegalArgumentException("limitBytes must be >= 0, got " + limitBytes);
        }
        if (nodeLimitBytes != null && nodeLimitBytes < 0) {
            throw new IllegalArgumentException("nodeLimitBytes must be >= 0, got " + nodeLimitBytes);
        }
        this.limitBytes = limitBytes;
        this.nodeLimitBytes = nodeLimitBytes;
    }

    /**
     * Reserves {@code storeBytes} in the store and {@code nodeBytes} in each of {@code nodes}' shares, all or nothing:
     * a node over its quota is refused first (naming it), then the store's limit is checked.
     */
    public void reserve(long storeBytes, Collection<String> nodes, long nodeBytes) throws StoreFullException {
        synchronized (nodeUsed) {
            if (nodeLimitBytes != null) {
                for (String n : nodes) {
                    long current = nodeUsed.getOrDefault(n, 0L);
                    if (nodeBytes > nodeLimitBytes - current) {
                        throw new NodeQuotaFullException(n, current, nodeLimitBytes, nodeBytes);
                    }
                }
            }
            if (storeBytes > 0) {
                reserve(storeBytes);
            }
            nodes.forEach(n -> charge(n, nodeBytes));
        }
    }

    /** Calls {@code listener} for every node with a share now and for each new one later. */
    public void onNewNode(java.util.function.Consumer<String> listener) {
        synchronized (nodeUsed) {
            onNewNode = listener;
            nodeUsed.keySet().forEach(listener);
        }
    }

    private void charge(String node, long bytes) {
        if (nodeUsed.merge(node, bytes, Long::sum) == bytes) {
            onNewNode.accept(node);
        }
    }

    /** Adds {@code bytes} to each node's share without checking its quota (the start-up scan). */
    public void accountNodes(Collection<String> nodes, long bytes) {
        synchronized (nodeUsed) {
            nodes.forEach(n -> charge(n, bytes));
        }
    }

    /** Gives back {@code bytes} of each node's share: the node completed the bundle, or it was deleted or refused. */
    public void freeNodes(Collection<String> nodes, long bytes) {
        synchronized (nodeUsed) {
            for (String n : nodes) {
                nodeUsed.computeIfPresent(n, (k, v) -> Math.max(0, v - bytes));
            }
        }
    }

    /** The bytes of stored bundles still pending for {@code node}. */
    public long nodeUsedBytes(String node) {
        synchronized (nodeUsed) {
            return nodeUsed.getOrDefault(node, 0L);
        }
    }

    /** The per-node quota, or null when there is none. */
    public Long nodeLimitBytes() {
        return nodeLimitBytes;
    }

    /**
     * The limit from the two settings: the smaller of {@code maxBytes} and {@code maxPercent} of the
     * file system's total size; a null setting does not limit. A file system that reports no size (0
     * total bytes, as some FUSE and network file systems do) has no percentage to give: {@code maxBytes}
     * alone applies, which is logged, and without it the store could not be limited at all, which is refused.
     *
     * @throws InvalidFieldException the file system reports no size and {@code maxBytes} is not set
     */
    public static long limit(Long maxBytes, Double maxPercent, long fileSystemTotalBytes) {
        if (maxPercent != null && fileSystemTotalBytes <= 0) {
            if (maxBytes == null) {
                throw new InvalidFieldException("storeMaxPercent", maxPercent, "the store's file system reports "
                    + fileSystemTotalBytes + " total bytes, so a share of it limits nothing: set --store-max-bytes "
                    + "(storeMaxBytes)");
            }
            LOGGER.atWarn().addKeyValue("totalBytes", fileSystemTotalBytes).addKeyValue("maxPercent", maxPercent)
                .addKeyValue("maxBytes", maxBytes)
                .log("the store's file system reports no size: the store is limited by --store-max-bytes alone");
            return maxBytes;
        }
        long limit = Long.MAX_VALUE;
        if (maxBytes != null) {
            limit = maxBytes;
        }
        if (maxPercent != null) {
            limit = Math.min(limit, (long) Math.floor(fileSystemTotalBytes * (maxPercent / 100.0)));
        }
        return limit;
    }

    /** Reserves room for {@code bytes} or refuses with the three numbers; never partially. */
    public void reserve(long bytes) throws StoreFullException {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be >= 0, got " + bytes);
        }
        while (true) {
            long current = usedBytes.get();
            if (bytes > limitBytes - current) {
                throw new StoreFullException(current, limitBytes, bytes);
            }
            if (usedBytes.compareAndSet(current, current + bytes)) {
                return;
            }
        }
    }

    /** Adds bytes that are already on disk (the start-up scan) without checking the limit. */
    public void account(long bytes) {
        usedBytes.addAndGet(bytes);
    }

    /** Gives back bytes of a deleted bundle or of a failed enqueue. */
    public void free(long bytes) {
        usedBytes.addAndGet(-bytes);
    }

    public long usedBytes() {
        return usedBytes.get();
    }

    public long limitBytes() {
        return limitBytes;
    }
}
