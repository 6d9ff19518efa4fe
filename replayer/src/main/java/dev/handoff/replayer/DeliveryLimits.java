package dev.handoff.replayer;

import dev.handoff.protocol.Names;

/**
 * How much the replayer delivers at once and how fast: the limits its scheduler applies before it starts a
 * bundle (see docs/REPLAYER.md).
 *
 * @param maxInFlightPerNode  bundles streamed to one node at the same time ({@code --max-in-flight-per-node},
 *                            default {@value #DEFAULT_MAX_IN_FLIGHT_PER_NODE})
 * @param maxInFlightBytes    sum of the sizes of all bundles in flight; one bundle larger than this still goes alone
 *                            ({@code --max-in-flight-bytes}, default 1 GiB)
 * @param maxBytesPerSec      bytes per second streamed to one node, 0 = unlimited ({@code --max-bytes-per-sec},
 *                            default 0)
 * @param maxPartsPerSec      bundles per second started to one node, 0 = unlimited ({@code --max-parts-per-sec},
 *                            default 0)
 * @param deliveryThreads     threads that stream bundles; bounds in-flight bundles across all nodes
 *                            ({@code --delivery-threads}, default {@value #DEFAULT_DELIVERY_THREADS})
 * @param adaptiveConcurrency adapt each node's in-flight deliveries between 1 and {@code maxInFlightPerNode} (AIMD on
 *                            latency and timeouts); false = always the maximum ({@code --adaptive-concurrency},
 *                            default true)
 */
public record DeliveryLimits(int maxInFlightPerNode, long maxInFlightBytes, long maxBytesPerSec, long maxPartsPerSec,
                             int deliveryThreads, boolean adaptiveConcurrency) {
    public static final int DEFAULT_MAX_IN_FLIGHT_PER_NODE = 16;
    public static final long DEFAULT_MAX_IN_FLIGHT_BYTES = 1L << 30;
    /** 0: no rate limit. */
    public static final long DEFAULT_MAX_BYTES_PER_SEC = 0;
    /** 0: no rate limit. */
    public static final long DEFAULT_MAX_PARTS_PER_SEC = 0;
    public static final int DEFAULT_DELIVERY_THREADS = 32;
    public static final boolean DEFAULT_ADAPTIVE_CONCURRENCY = true;

    public DeliveryLimits {
        Names.positive("maxInFlightPerNode", maxInFlightPerNode);
        Names.positive("maxInFlightBytes", maxInFlightBytes);
        Names.nonNegative("maxBytesPerSec", maxBytesPerSec);
        Names.nonNegative("maxPartsPerSec", maxPartsPerSec);
        Names.positive("deliveryThreads", deliveryThreads);
    }
}
