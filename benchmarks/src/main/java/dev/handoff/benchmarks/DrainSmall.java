package dev.handoff.benchmarks;

import dev.handoff.datanode.DataNode;
import dev.handoff.producer.HandoffProducer;
import dev.handoff.protocol.Health;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.common.Durable;
import dev.handoff.replayer.Replayer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * drain-small: 20,000 pending bundles of 4 small files (4 KiB) for one DOWN node; the node comes UP;
 * the time until one replayer (all defaults) has them all applied. Baseline: the reference's 10 parts/s.
 */
final class DrainSmall implements Scenario {
    static final double REFERENCE_PARTS_PER_SEC = 10.0;

    @Override
    public String name() {
        return "drain-small";
    }

    @Override
    public List<Result> run(BenchContext ctx) throws Exception {
        int count = Integer.getInteger("bench.drain-small.count", ctx.scale(20_000, 500));
        Topics topics = ctx.topics(name());
        Path work = ctx.dir(name());
        List<AutoCloseable> roles = new ArrayList<>();
        try {
            DataNode node = own(roles, Roles.dataNode(work.resolve("node"), Duration.ZERO));
            ctx.nodeTopic(topics, node.address(), Roles.NODE_PARTITIONS);
            ctx.status(topics, node.address(), Health.DOWN);
            HandoffProducer producer = own(roles, Roles.producer(ctx, topics, work.resolve("store"), "liaison-1",
                Roles.NODE_PARTITIONS));
            Replayer replayer = own(roles, Roles.replayer(Roles.replayerSettings(ctx, topics, "drain", "r1").build(),
                new SimpleMeterRegistry()));
            Backlogs.enqueueSmall(producer, work.resolve("liaison"), "liaison-1", node.address(), count, 4);
            Roles.awaitReady(List.of(replayer));
            long before = node.totalApplied();
            if (before != 0) {
                throw new IllegalStateException("a DOWN node received " + before + " bundles");
            }
            ctx.status(topics, node.address(), Health.UP);
            double seconds = Backlogs.secondsToApply(node, 0, count, Duration.ofMinutes(15));
            double rate = count / seconds;
            return List.of(new Result(name(),
                String.format("%,d pending bundles (4 files, 4 KiB) for one node, node UP, one replayer (defaults)", count),
                rate, REFERENCE_PARTS_PER_SEC, "parts/s", ">= 2,000 parts/s", rate >= 2000,
                "baseline: the reference implementation's ceiling (10 parts/s per node)"));
        } finally {
            Roles.closeAll(roles);
            Durable.deleteTree(work);
        }
    }

    static <T extends AutoCloseable> T own(List<AutoCloseable> roles, T role) {
        roles.add(role);
        return role;
    }
}
