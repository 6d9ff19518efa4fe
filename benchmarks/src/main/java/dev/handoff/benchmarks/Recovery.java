package dev.handoff.benchmarks;

import dev.handoff.datanode.DataNode;
import dev.handoff.datanode.DataNodeSettings;
import dev.handoff.producer.HandoffProducer;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.common.Durable;
import dev.handoff.replayer.Replayer;
import dev.handoff.topology.TopologyApp;
import dev.handoff.topology.TopologySettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * recovery: the whole pipeline (producer health monitor, topology, replayer, all defaults). Each trial:
 * stop the data node, the liaison reports it DOWN, wait until the replayer pauses it, enqueue a backlog,
 * restart the node on its address; the time from the node serving again to its first applied bundle.
 * Baseline: the reference notices a returning node after up to 6 s.
 */
final class Recovery implements Scenario {
    static final double REFERENCE_MILLIS = 6_000;
    private static final int BACKLOG = 5;

    /** {@code -Dbench.recovery.health-interval-ms=N} overrides the producer's default health interval (to study it). */
    private static dev.handoff.producer.ProducerSettings.Builder healthInterval(dev.handoff.producer.ProducerSettings.Builder b) {
        Long ms = Long.getLong("bench.recovery.health-interval-ms");
        return ms == null ? b : b.healthInterval(Duration.ofMillis(ms)).healthTimeout(Duration.ofMillis(Math.min(800, ms)));
    }

    @Override
    public String name() {
        return "recovery";
    }

    @Override
    public List<Result> run(BenchContext ctx) throws Exception {
        int trials = ctx.scale(50, 3);
        Topics topics = ctx.topics(name());
        Path work = ctx.dir(name());
        List<AutoCloseable> roles = new ArrayList<>();
        double[] millis = new double[trials];
        DataNode node = null;
        try {
            Path nodeDir = work.resolve("node");
            node = Roles.dataNode(nodeDir, Duration.ZERO);
            int port = node.port();
            ctx.nodeTopic(topics, node.address(), Roles.NODE_PARTITIONS);
            TopologyApp topology = DrainSmall.own(roles, new TopologyApp(TopologySettings.builder(ctx.kafka())
                .topicPrefix(topics.prefix()).applicationId("bench-topology-" + topics.prefix())
                .stateDir(work.resolve("topology")).replicationFactor(1).build(), new SimpleMeterRegistry()));
            topology.start();
            HandoffProducer producer = DrainSmall.own(roles, Roles.producer(ctx, topics, work.resolve("store"), "liaison-1",
                Roles.NODE_PARTITIONS, healthInterval(dev.handoff.producer.ProducerSettings.builder(work.resolve("store"),
                    "liaison-1", ctx.kafka()).nodes(List.of(node.address())))));
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            Replayer replayer = DrainSmall.own(roles, Roles.replayer(
                Roles.replayerSettings(ctx, topics, "recovery", "r1").build(), registry));
            Roles.awaitReady(List.of(replayer));
            BenchContext.await("topology running", Duration.ofSeconds(60), topology::isReady);
            Parts parts = new Parts(work.resolve("liaison"), 11);
            String address = node.address();
            for (int t = 0; t < trials; t++) {
                node.close();
                producer.reportDown(address);
                BenchContext.await("replayer pauses the node", Duration.ofSeconds(30),
                    () -> registry.get("handoff.replay.paused.nodes").gauge().value() >= 1.0);
                for (int i = 0; i < BACKLOG; i++) {
                    PartKey key = new PartKey("liaison-1", "sw_metric", i % 4, 0x3000_0000L + t * 100L + i);
                    producer.enqueue(parts.small(key).bundle(), List.of(address));
                }
                node = new DataNode(DataNodeSettings.builder(nodeDir).listen("localhost", port).build(),
                    new SimpleMeterRegistry()).start();
                long before = node.totalApplied();
                DataNode up = node;
                long t0 = System.nanoTime();
                BenchContext.await("first bundle after the node returned", Duration.ofSeconds(60),
                    () -> up.totalApplied() > before);
                millis[t] = Stats.millis(System.nanoTime() - t0);
                BenchContext.await("backlog drained", Duration.ofSeconds(60), () -> up.totalApplied() >= before + BACKLOG);
            }
        } finally {
            if (node != null) {
                node.close();
            }
            Roles.closeAll(roles);
            Durable.deleteTree(work);
        }
        double p50 = Stats.percentile(millis, 50);
        double p99 = Stats.percentile(millis, 99);
        String scenario = String.format("node DOWN with a backlog of %d -> node serving again: time to its first applied "
            + "bundle, %d trials, producer health checks + topology + replayer, all defaults", BACKLOG, trials);
        String note = "baseline: the reference notices a returning node after up to 6 s";
        return List.of(
            new Result(name() + ".p50", scenario, p50, REFERENCE_MILLIS, "ms", "(p99 is the target)", true, note),
            new Result(name() + ".p99", scenario, p99, REFERENCE_MILLIS, "ms", "p99 <= 1,000 ms", p99 <= 1000, note));
    }
}
