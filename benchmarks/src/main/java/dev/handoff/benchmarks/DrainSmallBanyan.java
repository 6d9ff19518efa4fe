package dev.handoff.benchmarks;

import dev.handoff.banyandb.BanyanNode;
import dev.handoff.banyandb.BanyanNodeSettings;
import dev.handoff.banyandb.BanyanVersions;
import dev.handoff.banyandb.SampleParts;
import dev.handoff.cli.BanyanPartSink;
import dev.handoff.producer.HandoffProducer;
import dev.handoff.replayer.PartSink;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * drain-small.banyandb: drain-small delivered through the BanyanDB-native sink ({@code --sink banyandb}:
 * {@code banyandb.cluster.v1.ChunkedSyncService/SyncPart}, one session per bundle) to the conformance receiver
 * ({@link BanyanNode}, {@code handoff banyandb-node}). The bundles are the same size as drain-small's (4 files,
 * 4 KiB: core {@code meta.bin}, {@code primary.bin}, {@code spans.bin} + one sidx part's {@code data.bin}, with
 * their JSON metadata as PartInfo fields), written in BanyanDB's liaison layout and enqueued through
 * {@code HandoffProducer.enqueueBanyanPart}. Baseline, same run: the same {@link DiskCeiling} probe as drain-small.
 * No target: the conformance receiver is a test receiver that fsyncs every file twice, one after the other, as
 * the row says; the row exists to compare the two sinks in one run.
 */
final class DrainSmallBanyan implements Scenario {
    static final String RULE = "trace_id";

    @Override
    public List<Result> run(BenchContext ctx, String name, Path work) throws Exception {
        int count = Integer.getInteger("bench.drain-small.count", ctx.scale(20_000, 200));
        DiskCeiling.Probe probe = DiskCeiling.probe(work.resolve("disk-probe"), DrainSmall.IN_FLIGHT, ctx.scale(5_000, 200));
        DrainSmall.Drain drain = DrainSmall.drain(ctx, ctx.topics(name), work.resolve("drain"), count,
            BanyanReceiver::start);
        return List.of(new Result(name,
            String.format("drain-small (%,d pending bundles of 4 files, 4 KiB, in BanyanDB's layout) for one node, "
                + "one replayer (defaults, %d in flight) with --sink banyandb, the BanyanDB conformance receiver "
                + "(test receiver: fsyncs each file twice and its dirs, one after the other); CPU %.0f µs/bundle, %s; "
                + "compare with drain-small (PartSync) of the same run", count, DrainSmall.IN_FLIGHT,
                drain.cpu().micros(count), drain.cpu().describe()),
            drain.rate(), probe.bundlesPerSec(), "parts/s", Target.NONE, probe.describe(), ""));
    }

    /** The conformance receiver with the replayer's BanyanDB sink and bundles in BanyanDB's layout. */
    private record BanyanReceiver(BanyanNode node) implements Receiver {
        static Receiver start(Path dir) throws Exception {
            return new BanyanReceiver(new BanyanNode(BanyanNodeSettings.forTests(dir), Clock.systemUTC()).start());
        }

        @Override
        public String address() {
            return node.address();
        }

        @Override
        public long applied() {
            return node.commits();
        }

        @Override
        public PartSink.Factory sink() {
            return BanyanPartSink.factory(BanyanVersions.DEFAULTS);
        }

        @Override
        public void enqueueSmall(HandoffProducer producer, Path liaisonDir, String liaison, int count) throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Void>> done = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int thread = t;
                    done.add(pool.submit(() -> {
                        for (int i = thread; i < count; i += 4) {
                            long id = 0x1000_0000L + i;
                            Path core = SampleParts.writeSmall(liaisonDir, "sw_trace", i % 8, id, RULE, id);
                            producer.enqueueBanyanPart(core, null, null, List.of(address()));
                        }
                        return null;
                    }));
                }
                for (Future<Void> f : done) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
        }

        @Override
        public void close() {
            node.close();
        }
    }
}
