package dev.handoff.benchmarks;

import dev.handoff.datanode.DataNode;
import dev.handoff.producer.HandoffProducer;
import dev.handoff.protocol.Health;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.Topics;
import dev.handoff.replayer.Replayer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;

/**
 * scale-out, measured where the machine is not the limit: one data node that answers every session 100 ms late
 * (a latency-bound sink, like a remote node across a WAN), 4 bundles in flight per node per replayer, so one
 * replayer is bound by 4 / 100 ms = 40 bundles/s and CPU stays well below saturation (reported). The same backlog
 * is drained by 1 replayer, then (fresh topics, fresh node) by 3. Value: rate(3) / rate(1). Baseline, same run:
 * the speed-up of raw PartSync senders against the same kind of node, 4 vs 12 sessions at a time.
 */
final class ScaleOut implements Scenario {
    /** {@code -Dbench.scale-out.latency-ms} / {@code -Dbench.scale-out.in-flight} re-create other setups (docs). */
    static final Duration LATENCY = Duration.ofMillis(Long.getLong("bench.scale-out.latency-ms", 100));
    static final int IN_FLIGHT = Integer.getInteger("bench.scale-out.in-flight", 4);
    private static final int PARTITIONS = 6;
    /** 2 shards per partition, so each of 3 replayers (2 partitions each) gets a third of the work. */
    private static final int[] SHARDS = Backlogs.evenShards(PARTITIONS, 2);

    @Override
    public List<Result> run(BenchContext ctx, String name, Path work) throws Exception {
        int count = Integer.getInteger("bench.scale-out.count", ctx.scale(1_200, 24));
        Rate one = drainRate(ctx, ctx.topics(name + "-1"), work.resolve("one"), 1, count);
        Rate three = drainRate(ctx, ctx.topics(name + "-3"), work.resolve("three"), 3, count);
        double rawSpeedup = rawSpeedup(work.resolve("raw"), Math.max(count / 3, 24));
        double speedup = three.perSecond / one.perSecond;
        return List.of(new Result(name, String.format(Locale.ROOT, "%,d small bundles, data node +%d ms per session, "
                + "%d-partition node topic, 12 shards spread 2 per partition, %d in flight per node per replayer: 1 vs 3 replayers (%.1f vs %.1f parts/s; "
                + "CPU with 1: %s; with 3: %s)", count, LATENCY.toMillis(), PARTITIONS, IN_FLIGHT, one.perSecond,
                three.perSecond, one.cpu.describe(), three.cpu.describe()),
            speedup, rawSpeedup, "x", Target.atLeast(2.7, "x"),
            "speed-up of raw PartSync senders into the same kind of node, " + IN_FLIGHT + " vs " + 3 * IN_FLIGHT
                + " sessions at a time", "linear would be 3x"));
    }

    private record Rate(double perSecond, CpuMeter.Usage cpu) {
    }

    private static double rawSpeedup(Path work, int count) throws Exception {
        RawSync raw = new RawSync(new Parts(work.resolve("source"), 29).small(new PartKey("raw", "sw_metric", 0, 1)));
        double r1;
        double r3;
        try (DataNode node = Roles.dataNode(work.resolve("node-1"), LATENCY)) {
            r1 = raw.rate(node.address(), IN_FLIGHT, count, 0x8000_0000L);
        }
        try (DataNode node = Roles.dataNode(work.resolve("node-3"), LATENCY)) {
            r3 = raw.rate(node.address(), 3 * IN_FLIGHT, count, 0x8000_0000L);
        }
        return r3 / r1;
    }

    private static Rate drainRate(BenchContext ctx, Topics topics, Path work, int replayerCount, int count)
        throws Exception {
        Files.createDirectories(work);
        List<AutoCloseable> roles = new ArrayList<>();
        try {
            DataNode node = DrainSmall.own(roles, Roles.dataNode(work.resolve("node"), LATENCY));
            ctx.nodeTopic(topics, node.address(), PARTITIONS);
            ctx.status(topics, node.address(), Health.DOWN);
            HandoffProducer producer = DrainSmall.own(roles, Roles.producer(ctx, topics, work.resolve("store"), "liaison-1",
                PARTITIONS));
            String group = "scale-" + replayerCount;
            List<Replayer> replayers = new ArrayList<>();
            for (int i = 0; i < replayerCount; i++) {
                replayers.add(DrainSmall.own(roles, Roles.replayer(
                    Roles.replayerSettings(ctx, topics, group, "r" + i).maxInFlightPerNode(IN_FLIGHT).build(),
                    new SimpleMeterRegistry())));
            }
            Backlogs.enqueueSmall(producer, work.resolve("liaison"), "liaison-1", node.address(), count, 4, SHARDS);
            Roles.awaitReady(replayers);
            awaitBalanced(ctx, group, replayerCount);
            CpuMeter cpu = CpuMeter.start();
            ctx.status(topics, node.address(), Health.UP);
            double rate = count / Backlogs.secondsToApply(node, 0, count, Duration.ofMinutes(10));
            return new Rate(rate, cpu.stop());
        } finally {
            Roles.closeAll(roles);
        }
    }

    /** Waits until the group is stable with {@code members} members that each own a partition. */
    static void awaitBalanced(BenchContext ctx, String group, int members) {
        BenchContext.await("group " + group + " balanced over " + members, Duration.ofSeconds(60), () -> {
            try {
                ConsumerGroupDescription d = ctx.admin().describeConsumerGroups(List.of(group)).all().get().get(group);
                return d.groupState() == GroupState.STABLE && d.members().size() == members
                    && d.members().stream().map(MemberDescription::assignment).allMatch(a -> !a.topicPartitions().isEmpty());
            } catch (Exception e) {
                return false;
            }
        });
    }
}
