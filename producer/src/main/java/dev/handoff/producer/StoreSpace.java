package dev.handoff.producer;

import dev.handoff.protocol.InvalidFieldException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Size accounting of the part store: the bytes of every stored bundle counted once (the hard links
 * share their blocks with the liaison's files), against a fixed limit. Reservation is one
 * compare-and-set, so concurrent enqueues never overshoot the limit together. Thread-safe.
 */
final class StoreSpace {
    private static final Logger LOGGER = LoggerFactory.getLogger(StoreSpace.class);
    private final long limitBytes;
    private final AtomicLong usedBytes = new AtomicLong();

    public StoreSpace(long limitBytes) {
        if (limitBytes < 0) {
            throw new IllegalArgumentException("limitBytes must be >= 0, got " + limitBytes);
        }
        this.limitBytes = limitBytes;
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
