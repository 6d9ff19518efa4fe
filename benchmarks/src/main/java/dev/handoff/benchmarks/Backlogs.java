package dev.handoff.benchmarks;

import dev.handoff.datanode.DataNode;
import dev.handoff.producer.HandoffProducer;
import dev.handoff.protocol.PartKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Fills a node's backlog through the real producer and times how fast replayers drain it. */
final class Backlogs {
    private Backlogs() {
    }

    /**
     * Writes {@code count} small parts (4 files, 4 KiB) under {@code liaisonDir} and enqueues each for
     * {@code node} through {@code producer}, from {@code threads} threads (a liaison flushes many shards at once).
     */
    static void enqueueSmall(HandoffProducer producer, Path liaisonDir, String liaison, String node, int count,
                             int threads) throws Exception {
        enqueueSmall(producer, liaisonDir, liaison, node, count, threads, new int[] {0, 1, 2, 3, 4, 5, 6, 7});
    }

    /** Like {@link #enqueueSmall(HandoffProducer, Path, String, String, int, int)}, bundle {@code i} in shard {@code shards[i % n]}. */
    static void enqueueSmall(HandoffProducer producer, Path liaisonDir, String liaison, String node, int count,
                             int threads, int[] shards) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Void>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    Parts parts = new Parts(liaisonDir.resolve("t" + thread), thread);
                    for (int i = thread; i < count; i += threads) {
                        PartKey key = new PartKey(liaison, "sw_metric", shards[i % shards.length], 0x1000_0000L + i);
                        producer.enqueue(parts.small(key).bundle(), List.of(node));
                    }
                    return null;
                }));
            }
            for (Future<Void> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * {@code perPartition} shards of group {@code sw_metric} for each of {@code partitions} partitions: the producer
     * keys a record by {@code group/shard} and Kafka's default partitioner hashes that key (murmur2), so a few
     * shards can land unevenly (the 8 shards 0-7 put 2, 0, 1, 2, 1, 2 records out of 8 on 6 partitions).
     */
    static int[] evenShards(int partitions, int perPartition) {
        int[] taken = new int[partitions];
        int[] shards = new int[partitions * perPartition];
        int n = 0;
        for (int shard = 0; n < shards.length; shard++) {
            byte[] key = ("sw_metric/" + shard).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            int p = org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(key)) % partitions;
            if (taken[p] < perPartition) {
                taken[p]++;
                shards[n++] = shard;
            }
        }
        return shards;
    }

    /** Seconds from now until {@code node} has applied {@code count} more bundles than it had before. */
    static double secondsToApply(DataNode node, long before, long count, Duration timeout) {
        return secondsToApply(Receiver.of(node), before, count, timeout);
    }

    /** Seconds from now until {@code node} has applied {@code count} more bundles than it had before. */
    static double secondsToApply(Receiver node, long before, long count, Duration timeout) {
        long start = System.nanoTime();
        BenchContext.await(count + " bundles applied at " + node.address(), timeout,
            () -> node.applied() >= before + count);
        return (System.nanoTime() - start) / 1e9;
    }
}
