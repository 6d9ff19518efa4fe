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
 * fairness: 50 data nodes with 200 pending bundles each come back to one running replayer (defaults): the replayer
 * has drained a first, smaller backlog of the same nodes (its cold start, reported as context), the nodes went DOWN,
 * their backlogs were written, and they come back UP together. Every second during the drain
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
        int warmup = ctx.scale(20, 5);
        Topics topics = ctx.topics(name);
        List<AutoCloseable> roles = new ArrayList<>();
        try {
            Parts.Part template = new Parts(work.resolve("source"), 23).small(new PartKey("liaison-1", "g", 0, 1));
            FileServer source = DrainSmall.own(roles, new FileServer(r -> Backlog.files(template), 1 << 20));
            List<DataNode> nodes = new ArrayList<>();
            List<String> nodeTopics = new ArrayList<>();
            for (int n = 0; n < nodeCount; n++) {
                DataNode node = DrainSmall.own(roles, Roles.dataNode(work.resolve("node-" + n), Duration.ZERO));
                nodes.add(node);
                nodeTopics.add(ctx.nodeTopic(topics, node.address(), Roles.NODE_PARTITIONS));
            }
            // Cold: the replayer's first drain, in a fresh JVM, with channels to no node yet (context only).
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            backlogWhileDown(ctx, topics, nodes, nodeTopics, source, template, warmup, Backlog.FIRST_ID, null);
            Replayer replayer = DrainSmall.own(roles, Roles.replayer(
                Roles.replayerSettings(ctx, topics, "fairness", "r1").build(), registry));
            Roles.awaitReady(List.of(replayer));
            Drain cold = drain(ctx, topics, nodes, warmup, new long[nodeCount]);

            // Measured: the same nodes down again with a backlog of `pending` each, then back, to a running replayer.
            long[] base = new long[nodeCount];
            for (int n = 0; n < nodeCount; n++) {
                base[n] = nodes.get(n).totalApplied();
            }
            backlogWhileDown(ctx, topics, nodes, nodeTopics, source, template, pending, Backlog.FIRST_ID + warmup,
                registry);
            CpuMeter cpu = CpuMeter.start();
            Drain d = drain(ctx, topics, nodes, pending, base);
            CpuMeter.Usage used = cpu.stop();
            boolean waitedOk = d.longestFirstWaitMillis <= FIRST_DELIVERY.toMillis();
            Target target = Target.atMost(2, "x").and("no node waits > 2 s for its first delivery", waitedOk);
            return List.of(new Result(name, String.format(Locale.ROOT, "%d nodes x %d pending bundles, back to one "
                    + "running replayer (defaults): worst most/least delivered ratio over %d one-second samples (%s; %d "
                    + "with a node still at 0 left out); longest wait for a node's first delivery %.0f ms; drained in "
                    + "%.1f s (%.0f parts/s); %s; before it, the replayer's cold first drain (%d each, fresh JVM, no "
                    + "channel yet): worst %.2fx (%s), longest first wait %.0f ms%s",
                    nodeCount, pending, d.samples, d.worst, d.skipped, d.longestFirstWaitMillis, d.seconds,
                    nodeCount * pending / d.seconds, used.describe(), warmup, cold.worstRatio, cold.worst,
                    cold.longestFirstWaitMillis, ctx.quick() ? " (--quick: fewer nodes and bundles than the full 50 x 200)" : ""),
                d.worstRatio, 1.0, "x", target, "equal shares, 1.0 (an ideal, not a measurement)", ""));
        } finally {
            Roles.closeAll(roles);
        }
    }

    /**
     * Marks every node DOWN and, with a running replayer (its {@code registry}; null: none yet), waits until it has
     * paused them all, so that nothing is delivered early; then writes {@code count} records for each node (part ids
     * from {@code firstId}).
     */
    private static void backlogWhileDown(BenchContext ctx, Topics topics, List<DataNode> nodes, List<String> nodeTopics,
                                         FileServer source, Parts.Part template, int count, long firstId,
                                         SimpleMeterRegistry registry) throws Exception {
        ctx.statuses(topics, nodes.stream().map(DataNode::address).toList(), Health.DOWN);
        if (registry != null) {
            BenchContext.await("the replayer pausing every node", Duration.ofSeconds(60),
                () -> registry.get("handoff.replay.paused.nodes").gauge().value() >= nodes.size());
        }
        for (int n = 0; n < nodes.size(); n++) {
            Backlog.produce(ctx, nodeTopics.get(n), nodes.get(n).address(), source.address(), template, count, firstId);
        }
    }

    /** Marks every node UP and watches until each applied {@code pending} more than {@code base}. */
    private static Drain drain(BenchContext ctx, Topics topics, List<DataNode> nodes, int pending, long[] base)
        throws Exception {
        long t0 = System.nanoTime();
        ctx.statuses(topics, nodes.stream().map(DataNode::address).toList(), Health.UP);
        return watch(nodes, pending, base, t0);
    }

    /** What the drain looked like from the nodes. */
    private record Drain(double worstRatio, int samples, int skipped, double longestFirstWaitMillis, double seconds,
                         String worst) {
    }

    /** Polls every 10 ms for first deliveries and samples the spread every second until every node has all. */
    private static Drain watch(List<DataNode> nodes, int pending, long[] base, long t0) {
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
                long applied = nodes.get(i).totalApplied() - base[i];
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
