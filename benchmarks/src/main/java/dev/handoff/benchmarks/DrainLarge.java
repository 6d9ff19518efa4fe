package dev.handoff.benchmarks;

import dev.handoff.datanode.DataNode;
import dev.handoff.producer.HandoffProducer;
import dev.handoff.protocol.Health;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.common.GrpcChannels;
import dev.handoff.protocol.grpc.FetchRequest;
import dev.handoff.protocol.grpc.FileChunk;
import dev.handoff.protocol.grpc.PartStoreGrpc;
import io.grpc.ManagedChannel;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * drain-large: one large bundle (2 GiB, one file) enqueued for a DOWN node, then replayed by a replayer in
 * its own JVM with {@code -Xmx256m}: part store (producer) -> replayer -> data node, every hop real gRPC on
 * localhost, the data node writing and fsyncing. Baseline: the same bytes read from the same file, streamed
 * over one raw gRPC call on loopback in 1 MiB chunks with flow control, written to a file and fsynced.
 */
final class DrainLarge implements Scenario {
    static final int HEAP_MIB = 256;
    /** The heap budget the replayer's high-water is judged against, whatever the part size. */
    static final int BUDGET_MIB = 128;

    @Override
    public List<Result> run(BenchContext ctx, String name, Path work) throws Exception {
        long bytes = ctx.quick() ? 64L << 20 : 2L << 30;
        Topics topics = ctx.topics(name);
        List<AutoCloseable> roles = new ArrayList<>();
        Process child = null;
        try {
            PartKey key = new PartKey("liaison-1", "sw_trace", 0, 0x4000_0000L);
            Parts.Part part = new Parts(work.resolve("liaison"), 5).single(key, "core", bytes);
            Path source = part.bundle().types().get(0).directory().resolve("data.bin");
            CpuMeter rawCpu = CpuMeter.start();
            ThreadCpu rawThreads = ThreadCpu.start();
            double rawMibPerSec = rawStream(source, work.resolve("raw.bin"), bytes);
            CpuMeter.Usage rawUsage = rawCpu.stop();
            String rawBusiest = rawThreads.busiest(ReplayerChild.BUSIEST);

            DataNode node = DrainSmall.own(roles, Roles.dataNode(work.resolve("node"), Duration.ZERO));
            ctx.nodeTopic(topics, node.address(), 1);
            ctx.status(topics, node.address(), Health.DOWN);
            HandoffProducer producer = DrainSmall.own(roles, Roles.producer(ctx, topics, work.resolve("store"), "liaison-1", 1));
            producer.enqueue(part.bundle(), List.of(node.address()));
            child = startChild(ctx, topics);
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            expect(out, "ready");
            Writer in = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8);
            in.write("mark\n");
            in.flush();
            CpuMeter cpu = CpuMeter.start();
            ThreadCpu threads = ThreadCpu.start();
            ctx.status(topics, node.address(), Health.UP);
            double seconds = Backlogs.secondsToApply(node, 0, 1, Duration.ofMinutes(20));
            CpuMeter.Usage usage = cpu.stop();
            String busiest = threads.busiest(ReplayerChild.BUSIEST);
            double mibPerSec = bytes / (double) (1 << 20) / seconds;
            in.write("stop\n");
            in.flush();
            String childBusiest = expect(out, "busiest ").substring("busiest ".length());
            double heapMib = Long.parseLong(expect(out, "heap-peak ").substring("heap-peak ".length())) / (double) (1 << 20);
            child.waitFor();
            List<String> problems = node.verify(key, part.types());
            if (!problems.isEmpty()) {
                throw new IllegalStateException("the data node's copy differs: " + problems);
            }
            String size = bytes >= 1L << 30 ? (bytes >> 30) + " GiB" : (bytes >> 20) + " MiB";
            String scenario = "one " + size + " bundle (one file) replayed: part store -> replayer (own JVM, -Xmx"
                + HEAP_MIB + "m) -> data node (write + fsync)";
            String cpuText = String.format(java.util.Locale.ROOT, "; machine %.0f%% busy during the drain (the "
                + "replayer's JVM included), %.0f%% during the raw stream; busiest threads (share of one core) during "
                + "the drain: replayer JVM %s; part store + data node JVM %s; during the raw stream: %s",
                usage.machineBusy() * 100, rawUsage.machineBusy() * 100, childBusiest, busiest, rawBusiest);
            double partMib = bytes / (double) (1 << 20);
            return List.of(
                new Result(name, scenario + cpuText, mibPerSec, rawMibPerSec, "MiB/s", Target.ratioAtLeast(0.9, "raw"),
                    "the same file streamed over one raw gRPC call on loopback, 1 MiB chunks, written + fsynced", ""),
                new Result(name + ".heap", String.format(java.util.Locale.ROOT, "%s; largest heap in use (garbage "
                        + "included) sampled every 10 ms in the replayer JVM: %.4f of the part's %,.0f MiB", scenario,
                        heapMib / partMib, partMib),
                    heapMib, BUDGET_MIB, "MiB", Target.atMost(BUDGET_MIB, "MiB"),
                    "a fixed budget of " + BUDGET_MIB + " MiB (not -Xmx, which the heap can never exceed)", ""));
        } finally {
            if (child != null) {
                child.destroyForcibly();
            }
            Roles.closeAll(roles);
        }
    }

    /** MiB/s of one raw gRPC stream of {@code source} over loopback into {@code target}, fsynced at the end. */
    static double rawStream(Path source, Path target, long bytes) throws Exception {
        try (FileServer server = new FileServer(r -> List.of(source), 1 << 20)) {
            ManagedChannel channel = GrpcChannels.open(server.address(), null);
            try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                long t0 = System.nanoTime();
                Iterator<FileChunk> chunks = PartStoreGrpc.newBlockingStub(channel).fetch(FetchRequest.getDefaultInstance());
                long written = 0;
                while (chunks.hasNext()) {
                    FileChunk c = chunks.next();
                    for (java.nio.ByteBuffer b : c.getData().asReadOnlyByteBufferList()) {
                        while (b.hasRemaining()) {
                            written += out.write(b);
                        }
                    }
                }
                out.force(true);
                double seconds = (System.nanoTime() - t0) / 1e9;
                if (written != bytes) {
                    throw new IllegalStateException("raw stream wrote " + written + " of " + bytes + " bytes");
                }
                return bytes / (double) (1 << 20) / seconds;
            } finally {
                GrpcChannels.close(channel);
                Files.deleteIfExists(target);
            }
        }
    }

    private static Process startChild(BenchContext ctx, Topics topics) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "-Xmx" + HEAP_MIB + "m", "-cp", System.getProperty("java.class.path"),
            ReplayerChild.class.getName(), ctx.kafka().bootstrapServers(), topics.prefix(), "large", "child");
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static String expect(BufferedReader out, String prefix) throws Exception {
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        throw new IllegalStateException("the replayer JVM ended before printing '" + prefix + "'");
    }
}
