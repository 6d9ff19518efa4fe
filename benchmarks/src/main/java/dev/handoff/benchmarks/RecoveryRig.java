package dev.handoff.benchmarks;

import dev.handoff.producer.HandoffProducer;
import dev.handoff.producer.ProducerSettings;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.Topics;
import dev.handoff.replayer.Replayer;
import dev.handoff.topology.TopologyApp;
import dev.handoff.topology.TopologySettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What both recovery scenarios run, all defaults: the topology, a producer whose health monitor watches the
 * node, one replayer, and a raw {@link HealthWatch} on the same address for the baseline. Confined to the
 * scenario's thread.
 */
final class RecoveryRig implements AutoCloseable {
    private final List<AutoCloseable> roles = new ArrayList<>();
    private final HandoffProducer producer;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final HealthWatch watch;
    private final Parts parts;
    private final double[] millis;
    private final double[] raw;

    /**
     * @param adaptiveConcurrency false for a fixed {@code --max-in-flight-per-node}: a scenario stated for that many
     *     deliveries in flight (adaptive concurrency, the default, starts a node at 1)
     * @param trials how many trials {@link #sample} records
     */
    RecoveryRig(BenchContext ctx, Topics topics, Path work, String address, boolean adaptiveConcurrency, int trials)
        throws Exception {
        millis = new double[trials];
        raw = new double[trials];
        try {
            ctx.nodeTopic(topics, address, Roles.NODE_PARTITIONS);
            TopologyApp topology = DrainSmall.own(roles, new TopologyApp(TopologySettings.builder(ctx.kafka())
                .topicPrefix(topics.prefix()).applicationId("bench-topology-" + topics.prefix())
                .stateDir(work.resolve("topology")).replicationFactor(1).build(), new SimpleMeterRegistry()));
            topology.start();
            producer = DrainSmall.own(roles, Roles.producer(ctx, topics, work.resolve("store"), "liaison-1",
                Roles.NODE_PARTITIONS, ProducerSettings.builder(work.resolve("store"), "liaison-1", ctx.kafka())
                    .nodes(List.of(address))));
            Replayer replayer = DrainSmall.own(roles, Roles.replayer(
                Roles.replayerSettings(ctx, topics, "group-" + topics.prefix(), "r1")
                    .adaptiveConcurrency(adaptiveConcurrency).build(), registry));
            Roles.awaitReady(List.of(replayer));
            BenchContext.await("topology running", Duration.ofSeconds(60), topology::isReady);
            watch = DrainSmall.own(roles, new HealthWatch(address));
            parts = new Parts(work.resolve("liaison"), 11);
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    HandoffProducer producer() {
        return producer;
    }

    HealthWatch watch() {
        return watch;
    }

    /** Enqueues {@code n} small bundles for {@code address}, part ids from {@code firstId}. */
    void enqueue(String address, int n, long firstId) throws Exception {
        for (int i = 0; i < n; i++) {
            PartKey key = new PartKey("liaison-1", "sw_metric", i % 4, firstId + i);
            producer.enqueue(parts.small(key).bundle(), List.of(address));
        }
    }

    /** The replayer's paused-node gauge: 1 once it acts on the node being DOWN. */
    boolean nodePaused() {
        return registry.get("handoff.replay.paused.nodes").gauge().value() >= 1.0;
    }

    /** Deliveries the replayer has in flight. */
    double inFlight() {
        return registry.find("handoff.replay.inflight").gauges().stream().mapToDouble(g -> g.value()).sum();
    }

    /**
     * Records trial {@code t}, now that the node serving again since {@code servingNanos} has applied a bundle: the ms
     * until now, and the baseline's, the ms to the watch's first SERVING answer (waits for it, up to 30 s).
     */
    void sample(int t, long servingNanos) {
        millis[t] = Stats.millis(System.nanoTime() - servingNanos);
        BenchContext.await("the raw health watch sees the node", Duration.ofSeconds(30), () -> watch.seenAt() != 0);
        raw[t] = Math.max(0, Stats.millis(watch.seenAt() - servingNanos));
    }

    /** p50 and p99 rows of {@code scenario} from the samples. */
    List<Result> rows(String scenario, String text) {
        String how = "a raw grpc.health.v1 check loop every " + HealthWatch.INTERVAL.toMillis() + " ms (the producer's "
            + "probe of a node that is not UP) noticing the same node's return in the same trial";
        String reference = "reference: notices a returning node after up to 6 s";
        Target target = Target.atMost(1000, "ms");
        return List.of(
            new Result(scenario + ".p50", text, Stats.percentile(millis, 50), Stats.percentile(raw, 50), "ms", target,
                how, reference),
            new Result(scenario + ".p99", text, Stats.percentile(millis, 99), Stats.percentile(raw, 99), "ms", target,
                how, reference));
    }

    @Override
    public void close() {
        Roles.closeAll(roles);
    }
}
