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
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;

/**
 * scale-out: the same backlog of small bundles for one data node that adds 20 ms to every session,
 * drained by 1 replayer and then (fresh topics, fresh node) by 3 replayers. Value: the speed-up;
 * baseline: linear, 3x.
 */
final class ScaleOut implements Scenario {
    static final Duration LATENCY = Duration.ofMillis(20);
    private static final int PARTITIONS = 6;

    @Override
    public String name() {
        return "scale-out";
    }

    @Override
    public List<Result> run(BenchContext ctx) throws Exception {
        int count = ctx.scale(3_000, 100);
        List<Result> results = new java.util.ArrayList<>();
        for (int inFlight : new int[] {ReplayerDefaults.IN_FLIGHT, 4}) {
            double one = drainRate(ctx, 1, count, inFlight);
            double three = drainRate(ctx, 3, count, inFlight);
            double speedup = three / one;
            String name = inFlight == ReplayerDefaults.IN_FLIGHT ? name() : name() + ".inflight-" + inFlight;
            results.add(new Result(name,
                String.format("%,d small bundles, data node +20 ms per session, %d-partition node topic, %d in flight per"
                    + " node per replayer: 1 vs 3 replayers (%.0f vs %.0f parts/s)", count, PARTITIONS, inFlight, one, three),
                speedup, 3.0, "x", ">= 2.5x", speedup >= 2.5, "baseline: linear scaling"));
        }
        return results;
    }

    /** The replayer's default in-flight bundles per node, read from its settings so the row names stay true. */
    private static final class ReplayerDefaults {
        static final int IN_FLIGHT = dev.handoff.replayer.ReplayerSettings.builder(
            dev.handoff.protocol.common.KafkaSettings.of("localhost:9092")).build().maxInFlightPerNode();
    }

    private double drainRate(BenchContext ctx, int replayerCount, int count, int inFlight) throws Exception {
        Topics topics = ctx.topics(name() + "-" + replayerCount + "-" + inFlight);
        Path work = ctx.dir(name());
        List<AutoCloseable> roles = new ArrayList<>();
        try {
            DataNode node = DrainSmall.own(roles, Roles.dataNode(work.resolve("node"), LATENCY));
            ctx.nodeTopic(topics, node.address(), PARTITIONS);
            ctx.status(topics, node.address(), Health.DOWN);
            HandoffProducer producer = DrainSmall.own(roles, Roles.producer(ctx, topics, work.resolve("store"), "liaison-1",
                PARTITIONS));
            String group = "scale-" + replayerCount + "-" + inFlight;
            List<Replayer> replayers = new ArrayList<>();
            for (int i = 0; i < replayerCount; i++) {
                replayers.add(DrainSmall.own(roles, Roles.replayer(
                    Roles.replayerSettings(ctx, topics, group, "r" + i).maxInFlightPerNode(inFlight).build(),
                    new SimpleMeterRegistry())));
            }
            Backlogs.enqueueSmall(producer, work.resolve("liaison"), "liaison-1", node.address(), count, 4);
            Roles.awaitReady(replayers);
            awaitBalanced(ctx, group, replayerCount);
            ctx.status(topics, node.address(), Health.UP);
            return count / Backlogs.secondsToApply(node, 0, count, Duration.ofMinutes(10));
        } finally {
            Roles.closeAll(roles);
            Durable.deleteTree(work);
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
