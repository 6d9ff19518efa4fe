package dev.handoff.benchmarks;

import dev.handoff.testkit.ChildJvm;
import dev.handoff.testkit.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * recovery-after-death: a data node in its own JVM is killed by SIGKILL with 16 deliveries in flight (it answers
 * every session 1 s after applying it, so they pile up), and serves again 4 s later on the same address and
 * directory, with the same delay. The delay comes after the apply, and a duplicate (the deliveries in flight at the
 * kill were applied already, only their answers were lost) is answered without it, so it does not delay what is
 * timed. Nobody calls {@code reportDown}: the producer's health checks and the replayer's failing sessions find it. The time from the node serving again
 * (its {@code READY} line) to the next bundle its {@code applied.log} gains. Baseline, same trial: a raw health
 * check loop at the producer's interval noticing the return ({@link HealthWatch}).
 */
final class RecoveryAfterDeath implements Scenario {
    private static final int IN_FLIGHT_AT_KILL = 16;
    private static final int BACKLOG = 24;
    private static final long SLOW_MILLIS = 1_000;
    private static final Duration DEAD_FOR = Duration.ofSeconds(4);

    @Override
    public List<Result> run(BenchContext ctx, String name, Path work) throws Exception {
        int trials = ctx.scale(20, 1);
        Path nodeDir = work.resolve("node");
        Path appliedLog = nodeDir.resolve("applied.log");
        int port = FreePorts.take(1)[0];
        String address = "localhost:" + port;
        ChildJvm node = start(work, nodeDir, port, SLOW_MILLIS, 0);
        // Fixed 16 in flight: adaptive concurrency (the default) starts at 1 and grows once per 1 s round trip, so it
        // never has 16 in flight before the 24-bundle backlog is gone, and every trial timed out waiting for them.
        try (RecoveryRig rig = new RecoveryRig(ctx, ctx.topics(name), work, address, false, trials)) {
            for (int t = 0; t < trials; t++) {
                rig.enqueue(address, BACKLOG, 0x7000_0000L + t * 100L);
                try {
                    BenchContext.await(IN_FLIGHT_AT_KILL + " deliveries in flight", Duration.ofSeconds(60),
                        () -> rig.inFlight() >= IN_FLIGHT_AT_KILL);
                } catch (IllegalStateException e) {
                    throw new IllegalStateException("trial " + (t + 1) + ": " + e.getMessage() + " (in flight "
                        + rig.inFlight() + ", node paused by the replayer: " + rig.nodePaused() + ")", e);
                }
                node.kill();
                long killed = System.nanoTime();
                rig.watch().arm();
                BenchContext.await("the node dead for " + DEAD_FOR, DEAD_FOR.plusSeconds(1),
                    () -> System.nanoTime() - killed >= DEAD_FOR.toNanos());
                node = start(work, nodeDir, port, SLOW_MILLIS, t + 1);
                long serving = System.nanoTime();
                long before = Files.size(appliedLog);
                BenchContext.await("next applied bundle after the node returned", Duration.ofSeconds(120),
                    () -> size(appliedLog) > before);
                rig.sample(t, serving);
                long all = (t + 1L) * BACKLOG;
                BenchContext.await("backlog drained", Duration.ofSeconds(120), () -> rig.inFlight() == 0
                    && lines(appliedLog) >= all);
            }
            return rig.rows(name, String.format("data node (own JVM) killed by SIGKILL with %d deliveries in flight, "
                + "serving again %d s later: time to its next applied bundle, %d trials%s; producer health checks + "
                + "topology + replayer, defaults but a fixed 16 in flight (no adaptive concurrency)", IN_FLIGHT_AT_KILL,
                DEAD_FOR.toSeconds(), trials, trials < 20 ? " (--quick: fewer than the 20 trials of a full run)" : ""));
        } finally {
            node.close();
        }
    }

    /** Starts the node's JVM and waits until it serves; the serving moment is when its READY line is seen. */
    private static ChildJvm start(Path work, Path nodeDir, int port, long latencyMillis, int incarnation) throws Exception {
        ChildJvm child = new ChildJvm(work.resolve("node-" + incarnation + "-" + latencyMillis + ".log"),
            List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"), DataNodeChild.class, nodeDir.toString(),
            Integer.toString(port), Long.toString(latencyMillis));
        BenchContext.await("data node JVM ready", Duration.ofSeconds(60), () -> printedReady(child));
        return child;
    }

    private static boolean printedReady(ChildJvm child) {
        try {
            if (!child.isAlive()) {
                throw new IllegalStateException("the data node JVM exited; its log: " + child.log());
            }
            return child.printed("READY");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private static long lines(Path file) {
        try {
            return Files.readAllLines(file).size();
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
