package dev.handoff.benchmarks;

import dev.handoff.producer.HandoffProducer;
import dev.handoff.protocol.Health;
import dev.handoff.protocol.Topics;
import dev.handoff.replayer.Replayer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * drain-small: 20,000 pending bundles of 4 small files (4 KiB) for one DOWN node; the node comes UP; the rate
 * at which one replayer (all defaults) gets them applied by the reference data node. Baseline, same run: the
 * {@link DiskCeiling} probe with as many threads as the replayer has sessions per node.
 */
final class DrainSmall implements Scenario {
    static final String REFERENCE = "reference: 10 parts/s per node";
    static final int IN_FLIGHT = Roles.defaultInFlightPerNode();

    /** One timed drain: its rate and what it cost in CPU. */
    record Drain(double rate, int count, CpuMeter.Usage cpu, double fsyncsPerBundle) {
        /** ", 8.1 receiver fsyncs per bundle", or nothing if the receiver does not count them. */
        String fsyncs() {
            return fsyncsPerBundle < 0 ? "" : String.format(Locale.ROOT, "; receiver %.2f fsyncs per bundle", fsyncsPerBundle);
        }
    }

    @Override
    public List<Result> run(BenchContext ctx, String name, Path work) throws Exception {
        int count = Integer.getInteger("bench.drain-small.count", ctx.scale(20_000, 200));
        DiskCeiling.Probe probe = DiskCeiling.probe(work.resolve("disk-probe"), IN_FLIGHT, ctx.scale(5_000, 200));
        Drain drain = drain(ctx, ctx.topics(name), work.resolve("drain"), count,
            dir -> Receiver.of(Roles.dataNode(dir, Duration.ZERO)));
        Target target = Target.ratioAtLeast(0.8, "disk ceiling");
        if (probe.bundlesPerSec() >= 2000) {
            target = target.and(Target.atLeast(2000, "parts/s"));
        }
        return List.of(new Result(name,
            String.format("%,d pending bundles (4 files, 4 KiB) for one node, node UP, one replayer (defaults, %d in flight), "
                + "reference data node%s; CPU %.0f µs/bundle, %s", count, IN_FLIGHT, drain.fsyncs(),
                drain.cpu().micros(count), drain.cpu().describe()),
            drain.rate(), probe.bundlesPerSec(), "parts/s", target, probe.describe(), REFERENCE));
    }

    /**
     * Enqueues {@code count} small bundles through a producer for a DOWN receiver, starts one replayer (defaults),
     * turns the node UP and times until the receiver applied them all. The receiver chooses the replayer's sink and
     * writes the bundles in its own layout ({@link Receiver#sink}, {@link Receiver#enqueueSmall}): that is how
     * {@link DrainSmallBanyan} drains through the BanyanDB sink.
     */
    static Drain drain(BenchContext ctx, Topics topics, Path work, int count, Receiver.Factory receivers) throws Exception {
        Files.createDirectories(work);
        List<AutoCloseable> roles = new ArrayList<>();
        try {
            Receiver node = own(roles, receivers.start(work.resolve("node")));
            ctx.nodeTopic(topics, node.address(), Roles.NODE_PARTITIONS);
            ctx.status(topics, node.address(), Health.DOWN);
            HandoffProducer producer = own(roles, Roles.producer(ctx, topics, work.resolve("store"), "liaison-1",
                Roles.NODE_PARTITIONS));
            Replayer replayer = own(roles, Roles.replayer(Roles.replayerSettings(ctx, topics, "drain", "r1")
                .sinkFactory(node.sink()).build(), new SimpleMeterRegistry()));
            node.enqueueSmall(producer, work.resolve("liaison"), "liaison-1", count);
            Roles.awaitReady(List.of(replayer));
            if (node.applied() != 0) {
                throw new IllegalStateException("a DOWN node received " + node.applied() + " bundles");
            }
            long fsyncsBefore = node.fsyncs();
            CpuMeter cpu = CpuMeter.start();
            ctx.status(topics, node.address(), Health.UP);
            double seconds = Backlogs.secondsToApply(node, 0, count, Duration.ofMinutes(15));
            CpuMeter.Usage used = cpu.stop();
            double fsyncs = fsyncsBefore < 0 ? -1 : (node.fsyncs() - fsyncsBefore) / (double) count;
            return new Drain(count / seconds, count, used, fsyncs);
        } finally {
            Roles.closeAll(roles);
        }
    }

    static <T extends AutoCloseable> T own(List<AutoCloseable> roles, T role) {
        roles.add(role);
        return role;
    }
}
