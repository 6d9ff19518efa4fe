package dev.handoff.benchmarks;

import dev.handoff.datanode.DataNode;
import dev.handoff.datanode.DataNodeSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * recovery: the whole pipeline (producer health monitor, topology, replayer, all defaults). Each trial: stop the
 * data node, the liaison reports it DOWN, wait until the replayer pauses it, enqueue a backlog, restart the node
 * on its address; the time from the node serving again to its first applied bundle. Baseline, same trial: a raw
 * health check loop at the producer's interval noticing the return ({@link HealthWatch}).
 */
final class Recovery implements Scenario {
    private static final int BACKLOG = 5;

    @Override
    public List<Result> run(BenchContext ctx, String name, Path work) throws Exception {
        int trials = ctx.scale(30, 2);
        Path nodeDir = work.resolve("node");
        DataNode node = Roles.dataNode(nodeDir, Duration.ZERO);
        int port = node.port();
        String address = node.address();
        try (RecoveryRig rig = new RecoveryRig(ctx, ctx.topics(name), work, address, true, trials)) {
            for (int t = 0; t < trials; t++) {
                node.close();
                rig.producer().reportDown(address);
                BenchContext.await("replayer pauses the node", Duration.ofSeconds(30), rig::nodePaused);
                rig.enqueue(address, BACKLOG, 0x3000_0000L + t * 100L);
                rig.watch().arm();
                node = new DataNode(DataNodeSettings.builder(nodeDir).listen("localhost", port).build(),
                    new SimpleMeterRegistry()).start();
                long t0 = System.nanoTime();
                DataNode up = node;
                long before = up.totalApplied();
                BenchContext.await("first bundle after the node returned", Duration.ofSeconds(60),
                    () -> up.totalApplied() > before);
                rig.sample(t, t0);
                BenchContext.await("backlog drained", Duration.ofSeconds(60), () -> up.totalApplied() >= before + BACKLOG);
            }
            return rig.rows(name, String.format("node DOWN (reported by the liaison) with a backlog of %d -> node "
                + "serving again: time to its first applied bundle, %d trials, producer health checks + topology + replayer, "
                + "all defaults", BACKLOG, trials));
        } finally {
            node.close();
        }
    }
}
