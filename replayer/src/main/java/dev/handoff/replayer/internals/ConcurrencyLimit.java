package dev.handoff.replayer.internals;

/**
 * How many deliveries one node gets at once: AIMD between 1 and {@code --max-in-flight-per-node}, or that
 * maximum when adaptation is off. Poll thread only.
 *
 * <ul>
 *   <li>Slow start: from 1, +1 per delivery whose latency holds (doubling per round trip), until the first
 *       decrease; again after the node returns UP.</li>
 *   <li>Then +1/limit per such delivery (+1 per round trip).</li>
 *   <li>Latency "holds" while it stays within {@value #TOLERANCE}x what the best throughput seen so far
 *       predicts: with {@code c} deliveries in flight when a delivery started and the best point {@code (cb, Lb)}
 *       (the most deliveries in flight per latency, {@code cb / Lb}), the expected latency is
 *       {@code Lb * max(1, c / cb)}. So latency may grow with concurrency as long as throughput does not fall
 *       (a healthy node whose fsyncs run in parallel), but a receiver whose throughput collapses above some
 *       concurrency (it thrashes) is seen at once. Kept per size class (sizes within a factor of 4: below
 *       256 KiB, below 1 MiB, ...) so big and small bundles are not compared; the best point is forgotten by
 *       1/{@value #FORGET} per sample so a receiver that became slower for good is accepted. Above that:
 *       x{@value #LATENCY_BACKOFF}.</li>
 *   <li>A timeout, stall, busy or unavailable answer: x{@value #FAILURE_BACKOFF}.</li>
 *   <li>A decrease counts once per round trip: only a delivery started after the previous decrease can
 *       decrease again (the deliveries in flight when a receiver tips over all fail together).</li>
 * </ul>
 */
final class ConcurrencyLimit {
    static final double TOLERANCE = 2.0;
    static final double LATENCY_BACKOFF = 0.9;
    static final double FAILURE_BACKOFF = 0.5;
    static final int FORGET = 256;
    private static final int SIZE_CLASSES = 8;

    private final int max;
    private final boolean adaptive;
    private double limit;
    private boolean slowStart = true;
    /** Per size class, the best throughput seen (deliveries in flight per nano), 0 before the first sample. */
    private final double[] bestThroughput = new double[SIZE_CLASSES];
    /** Per size class, the deliveries in flight at the best throughput. */
    private final int[] bestInFlight = new int[SIZE_CLASSES];
    private long decreasedThrough = -1;

    ConcurrencyLimit(int max, boolean adaptive) {
        this.max = max;
        this.adaptive = adaptive;
        this.limit = adaptive ? 1 : max;
    }

    /** 0 below 256 KiB, then one class per factor of 4, the last from 1 GiB up. */
    static int sizeClass(long bytes) {
        long quarterMebibytes = bytes >> 18;
        int log2 = 63 - Long.numberOfLeadingZeros(Math.max(1, quarterMebibytes));
        return quarterMebibytes == 0 ? 0 : Math.min(SIZE_CLASSES - 1, 1 + log2 / 2);
    }

    /** Deliveries the node may have in flight now. */
    int current() {
        return (int) limit;
    }

    /**
     * A delivery of {@code bytes} started as number {@code startedSeq}, with {@code inFlight} deliveries to the node
     * in flight counting itself, succeeded after {@code nanos}; {@code latestSeq} is the latest delivery number
     * started. {@code latencyCounts} is false while a byte-rate limit paces the node (the latency then measures the
     * limit, not the receiver).
     */
    void succeeded(long nanos, long bytes, int inFlight, long startedSeq, long latestSeq, boolean latencyCounts) {
        if (!adaptive) {
            return;
        }
        if (latencyCounts && nanos > 0) {
            int k = sizeClass(bytes);
            int c = Math.max(1, inFlight);
            double throughput = c / (double) nanos;
            bestThroughput[k] *= 1 - 1.0 / FORGET;
            if (throughput >= bestThroughput[k]) {
                bestThroughput[k] = throughput;
                bestInFlight[k] = c;
            }
            double bestLatency = bestInFlight[k] / bestThroughput[k];
            double expected = bestLatency * Math.max(1.0, c / (double) bestInFlight[k]);
            if (nanos > TOLERANCE * expected) {
                decrease(LATENCY_BACKOFF, startedSeq, latestSeq);
                return;
            }
        }
        limit = Math.min(max, limit + (slowStart ? 1 : 1 / limit));
    }

    /** A delivery started as number {@code startedSeq} timed out or found the node busy or unavailable. */
    void overloaded(long startedSeq, long latestSeq) {
        if (adaptive) {
            decrease(FAILURE_BACKOFF, startedSeq, latestSeq);
        }
    }

    /** The node came back: grow fast again from where the limit is. */
    void restart() {
        slowStart = true;
    }

    private void decrease(double factor, long startedSeq, long latestSeq) {
        if (startedSeq <= decreasedThrough) {
            return;
        }
        slowStart = false;
        limit = Math.max(1, limit * factor);
        decreasedThrough = latestSeq;
    }
}
