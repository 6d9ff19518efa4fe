package dev.handoff.benchmarks;

import dev.handoff.datanode.DataNode;
import dev.handoff.protocol.Health;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.Topics;
import dev.handoff.replayer.Replayer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * fairness: 50 data nodes with 200 pending bundles each, one replayer (defaults). Every second during the drain
 * the bundles each node has applied are sampled; the row's value is the worst ratio of most to least delivered
 * (over samples where every node has had a delivery), and no node may wait more than 2 s for its first delivery.
 * As in {@code backlog}, the records point at one source that serves the same 4 small files for any PartKey;
 * every node stores each PartKey itself. Baseline: equal shares (1.0), an ideal, not a measurement.
 */
final class Fairness implements Scenario {
    private static final Duration SAMPLE = Duration.ofSeconds(1);
    private static final Duration FIRST_DELIVERY = Duration.ofSeconds(2);

    @Override
    public List<Result> run(BenchContext ctx, String name, Path work) throws Exception {
        int nodeCount = ctx.scale(50, 10);
        int pending = ctx.scale(200, 40);
        Topics topics = ctx.topics(name);
        List<AutoCloseable> roles = new ArrayList<>();
        try {
            Parts.Part template = new Parts(work.resolve("source"), 23).small(new PartKey("liaison-1", "g", 0, 1));
            FileServer source = DrainSmall.own(roles, new FileServer(r -> Backlog.files(template), 1 << 20));
            List<DataNode> nodes = new ArrayList<>();
            for (int n = 0; n < nodeCount; n++) {
                DataNode node = DrainSmall.own(roles, Roles.dataNode(work.resolve("node-" + n), Duration.ZERO));
                nodes.add(node);
                String topic = ctx.nodeTopic(topics, node.address(), Roles.NODE_PARTITIONS);
                ctx.status(topics, node.address(), Health.DOWN);
                Backlog.produce(ctx, topic, node.address(), source.address(), template, pending);
            }
            Replayer replayer = DrainSmall.own(roles, Roles.replayer(
                Roles.replayerSettings(ctx, topics, "fairness", "r1").build(), new SimpleMeterRegistry()));
            Roles.awaitReady(List.of(replayer));
            CpuMeter cpu = CpuMeter.start();
            long t0 = System.nanoTime();
            for (DataNode node : nodes) {
                ctx.status(topics, node.address(), Health.UP);
            }
            Drain d = watch(nodes, pending, t0);
            CpuMeter.Usage used = cpu.stop();
            boolean waitedOk = d.longestFirstWaitMillis <= FIRST_DELIVERY.toMillis();
            Target target = Target.atMost(2, "x").and("no node waits > 2 s for its first delivery", waitedOk);
            return List.of(new Result(name, String.format(Locale.ROOT, "%d nodes x %d pending bundles, one replayer "
                    + "(defaults): worst most/least delivered ratio over %d one-second samples (%s; %d with a node still "
                    + "at 0 left out); longest wait for a node's first delivery %.0f ms; drained in %.1f s (%.0f parts/s); %s%s",
                    nodeCount, pending, d.samples, d.worst, d.skipped, d.longestFirstWaitMillis, d.seconds,
                    nodeCount * pending / d.seconds, used.describe(),
                    ctx.quick() ? " (--quick: fewer nodes and bundles than the full 50 x 200)" : ""),
                d.worstRatio, 1.0, "x", target, "equal shares, 1.0 (an ideal, not a measurement)", ""));
        } finally {
            Roles.closeAll(roles);
        }
    }

    /** What the drain looked like from the nodes. */
    private record Drain(double worstRatio, int samples, int skipped, double longestFirstWaitMillis, double seconds,
                         String worst) {
    }

    /** Polls every 10 ms for first deliveries and samples the spread every second until every node has all. */
    private static Drain watch(List<DataNode> nodes, int pending, long t0) {
        long[] first = new long[nodes.size()];
        long nextSample = t0 + SAMPLE.toNanos();
        long deadline = t0 + Duration.ofMinutes(10).toNanos();
        double worst = 1.0;
        String worstAt = "none";
        int samples = 0;
        int skipped = 0;
        while (true) {
            long now = System.nanoTime();
            long min = Long.MAX_VALUE;
            long max = 0;
            for (int i = 0; i < nodes.size(); i++) {
                long applied = nodes.get(i).totalApplied();
                if (applied > 0 && first[i] == 0) {
                    first[i] = now;
                }
                min = Math.min(min, applied);
                max = Math.max(max, applied);
            }
            if (min >= pending) {
                break;
            }
            if (now >= nextSample) {
                nextSample += SAMPLE.toNanos();
                if (min == 0) {
                    skipped++;
                } else {
                    samples++;
                    if (max / (double) min > worst) {
                        worst = max / (double) min;
                        worstAt = String.format(Locale.ROOT, "%d vs %d at %.0f s", max, min, (now - t0) / 1e9);
                    }
                }
            }
            if (now > deadline) {
                throw new IllegalStateException("fairness: not drained after 10 minutes (least " + min + " of " + pending + ")");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
        }
        double longest = 0;
        for (long f : first) {
            longest = Math.max(longest, Stats.millis(f - t0));
        }
        return new Drain(worst, samples, skipped, longest, (System.nanoTime() - t0) / 1e9, worstAt);
    }
}
