package dev.handoff.benchmarks;

import dev.handoff.datanode.DataNode;
import dev.handoff.protocol.PartKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * pipeline: drain-small against a data node started with {@code --unsafe-no-fsync-benchmark-only} (sizes and
 * CRC32C verified, nothing fsynced): what handoff itself (Kafka, part store, replayer, gRPC) costs, with the CPU
 * it takes per bundle. Baseline, same run: a raw PartSync sender with the same sessions in flight against the
 * same kind of node, i.e. what the receiver takes when nothing but the protocol is in front of it.
 */
final class Pipeline implements Scenario {
    @Override
    public List<Result> run(BenchContext ctx, String name, Path work) throws Exception {
        int count = Integer.getInteger("bench.pipeline.count", ctx.scale(20_000, 200));
        double raw;
        CpuMeter.Usage rawCpu;
        Parts.Part template = new Parts(work.resolve("source"), 19).small(new PartKey("raw", "sw_metric", 0, 1));
        try (DataNode node = Roles.noFsyncDataNode(work.resolve("raw-node"))) {
            CpuMeter cpu = CpuMeter.start();
            raw = new RawSync(template).rate(node.address(), DrainSmall.IN_FLIGHT, count, 0x6000_0000L);
            rawCpu = cpu.stop();
        }
        DrainSmall.Drain drain = DrainSmall.drain(ctx, ctx.topics(name), work.resolve("drain"), count,
            dir -> Receiver.of(Roles.noFsyncDataNode(dir)));
        return List.of(new Result(name,
            String.format("drain-small (%,d bundles, one replayer, %d in flight) into a data node with "
                + "--unsafe-no-fsync-benchmark-only; CPU %.0f µs/bundle (process CPU time / bundles), %s; the raw "
                + "sender's sessions took %.0f µs/bundle (%s)", count, DrainSmall.IN_FLIGHT, drain.cpu().micros(count),
                drain.cpu().describe(), rawCpu.micros(count), rawCpu.describe()),
            drain.rate(), raw, "parts/s", Target.atLeast(5000, "parts/s"),
            "raw PartSync sessions (" + DrainSmall.IN_FLIGHT + " at a time) into the same kind of no-fsync node", ""));
    }
}
