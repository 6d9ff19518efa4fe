package dev.handoff.benchmarks;

import dev.handoff.producer.HandoffProducer;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.common.Durable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * enqueue-latency: p50/p99 of {@code HandoffProducer.enqueue} of a 10-file part for one node (link, fsync,
 * manifest, {@code acks=all}), one at a time. Baseline, interleaved sample by sample: hard-link the same 10
 * files into a new directory, fsync them and the directories together on a pool as large as the producer's,
 * then one raw {@code acks=all} produce of a record of the same size with the same client settings.
 */
final class EnqueueLatency implements Scenario {
    private static final int SOURCES = 20;
    /** The producer's fsync pool size ({@code HandoffProducer.FSYNC_THREADS}): the baseline fsyncs on a pool as large. */
    static final int PRODUCER_FSYNC_THREADS = 16;

    @Override
    public List<Result> run(BenchContext ctx, String name, Path work) throws Exception {
        int samples = ctx.scale(5_000, 200);
        int warmup = ctx.scale(200, 20);
        Topics topics = ctx.topics(name);
        String node = "localhost:1";
        String rawTopic = ctx.nodeTopic(topics, "localhost:2", 1);
        ctx.nodeTopic(topics, node, Roles.NODE_PARTITIONS);
        List<Parts.Part> sources = new ArrayList<>();
        Parts parts = new Parts(work.resolve("liaison"), 7);
        for (int i = 0; i < SOURCES; i++) {
            sources.add(parts.tenFiles(new PartKey("liaison-1", "sw_metric", i, i)));
        }
        byte[] rawValue = new byte[700];
        double[] system = new double[samples];
        double[] raw = new double[samples];
        ExecutorService pool = Executors.newFixedThreadPool(PRODUCER_FSYNC_THREADS);
        try (HandoffProducer producer = Roles.producer(ctx, topics, work.resolve("store"), "liaison-1", Roles.NODE_PARTITIONS);
             KafkaProducer<String, byte[]> kafka = new KafkaProducer<>(ctx.kafka().producer("bench-raw"),
                 new StringSerializer(), new ByteArraySerializer())) {
            Path rawDir = Files.createDirectories(work.resolve("raw"));
            for (int i = -warmup; i < samples; i++) {
                Parts.Part source = sources.get(Math.floorMod(i, SOURCES));
                PartKey key = new PartKey("liaison-1", "sw_metric", Math.floorMod(i, 8), 0x2000_0000L + warmup + i);
                long t0 = System.nanoTime();
                producer.enqueue(new dev.handoff.producer.Bundle(key, source.bundle().types()), List.of(node));
                long t1 = System.nanoTime();
                rawEnqueue(source, rawDir.resolve(Integer.toString(warmup + i)), kafka, rawTopic, rawValue, pool);
                long t2 = System.nanoTime();
                if (i >= 0) {
                    system[i] = Stats.millis(t1 - t0);
                    raw[i] = Stats.millis(t2 - t1);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        String scenario = String.format("enqueue of a 10-file part (~330 KiB) for one node, %,d samples, one at a time", samples);
        String note = "interleaved with each sample: link the same 10 files into <dir>/core, fsync the 10 links, core/ and "
            + "<dir> together on a " + PRODUCER_FSYNC_THREADS + "-thread pool (as the producer's store does), then one raw "
            + "acks=all produce of 700 bytes with the producer's client settings";
        double p50 = Stats.percentile(system, 50);
        double p99 = Stats.percentile(system, 99);
        double rawP50 = Stats.percentile(raw, 50);
        double rawP99 = Stats.percentile(raw, 99);
        return List.of(
            new Result(name + ".p50", scenario, p50, rawP50, "ms", Target.ratioAtMost(1.5, "raw"), note, ""),
            new Result(name + ".p99", scenario, p99, rawP99, "ms", Target.ratioAtMost(1.5, "raw"), note, ""));
    }

    private static void rawEnqueue(Parts.Part source, Path dir, KafkaProducer<String, byte[]> kafka, String topic,
                                   byte[] value, ExecutorService pool) throws Exception {
        Path core = Files.createDirectories(dir.resolve("core"));
        List<Callable<Void>> syncs = new ArrayList<>();
        for (dev.handoff.producer.Bundle.Type type : source.bundle().types()) {
            try (var files = Files.list(type.directory())) {
                for (Path f : files.toList()) {
                    Path link = Files.createLink(core.resolve(f.getFileName()), f);
                    syncs.add(() -> {
                        Durable.fsync(link);
                        return null;
                    });
                }
            }
        }
        for (Path d : List.of(core, dir)) {
            syncs.add(() -> {
                Durable.fsyncDirectory(d);
                return null;
            });
        }
        for (Future<Void> f : pool.invokeAll(syncs)) {
            f.get();
        }
        kafka.send(new ProducerRecord<>(topic, "sw_metric/0", value)).get();
    }
}
