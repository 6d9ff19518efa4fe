package dev.handoff.benchmarks;

import dev.handoff.producer.HandoffProducer;
import dev.handoff.producer.ProducerSettings;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.common.Durable;
import dev.handoff.protocol.common.Fsyncs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * enqueue-latency: p50/p99 of {@code HandoffProducer.enqueue} of a 10-file part for one node (link, fsync,
 * manifest, {@code acks=all}), one at a time. Baseline, interleaved sample by sample: hard-link the same 10
 * files into a new directory, fsync them and the directories together on a pool as large as the producer's,
 * then one raw {@code acks=all} produce of a record of the same size with the same client settings. Beside it, also
 * interleaved, the floor that the store's durability rule allows: the same plus a manifest
 * written in the first fsync round, renamed, and the one more directory fsync its name needs before the record may
 * be published. The row names how far the system is above that floor.
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
        double[] floor = new double[samples];
        // The raw enqueue's two phases, to set beside the producer's own (handoff.enqueue.phase.latency)
        double[] rawDisk = new double[samples];
        double[] rawProduce = new double[samples];
        SampledTimers phases = new SampledTimers("handoff.enqueue.phase.latency", "phase");
        try (Fsyncs fsyncs = Fsyncs.parallel(PRODUCER_FSYNC_THREADS, "bench-raw-fsync");
             HandoffProducer producer = Roles.producer(topics, Roles.NODE_PARTITIONS,
                 ProducerSettings.builder(work.resolve("store"), "liaison-1", ctx.kafka()), phases);
             KafkaProducer<String, byte[]> kafka = new KafkaProducer<>(ctx.kafka().producer("bench-raw"),
                 new StringSerializer(), new ByteArraySerializer())) {
            Path rawDir = Files.createDirectories(work.resolve("raw"));
            Path floorDir = Files.createDirectories(work.resolve("floor"));
            byte[] manifest = null;
            for (int i = -warmup; i < samples; i++) {
                Parts.Part source = sources.get(Math.floorMod(i, SOURCES));
                PartKey key = new PartKey("liaison-1", "sw_metric", Math.floorMod(i, 8), 0x2000_0000L + warmup + i);
                if (i == 0) {
                    phases.forgetSamples();
                }
                long t0 = System.nanoTime();
                producer.enqueue(new dev.handoff.producer.Bundle(key, source.bundle().types()), List.of(node));
                long t1 = System.nanoTime();
                long rawDurable = rawEnqueue(source, rawDir.resolve(Integer.toString(warmup + i)), kafka, rawTopic,
                    rawValue, fsyncs, null);
                long t2 = System.nanoTime();
                if (manifest == null) {
                    manifest = Files.readAllBytes(firstManifest(work.resolve("store")));
                }
                rawEnqueue(source, floorDir.resolve(Integer.toString(warmup + i)), kafka, rawTopic, rawValue, fsyncs,
                    manifest);
                long t3 = System.nanoTime();
                if (i >= 0) {
                    system[i] = Stats.millis(t1 - t0);
                    raw[i] = Stats.millis(t2 - t1);
                    floor[i] = Stats.millis(t3 - t2);
                    rawDisk[i] = Stats.millis(rawDurable - t1);
                    rawProduce[i] = Stats.millis(t2 - rawDurable);
                }
            }
        }
        String scenario = String.format("enqueue of a 10-file part (~330 KiB) for one node, %,d samples, one at a time", samples);
        String note = "interleaved with each sample: link the same 10 files into <dir>/core, fsync the 10 links, core/, "
            + "<dir> and its parent together on a " + PRODUCER_FSYNC_THREADS + "-thread pool (as the producer's store "
            + "does), then one raw acks=all produce of 700 bytes with the producer's client settings";
        Phases split = new Phases(phases.millis("store"), phases.millis("publish"), rawDisk, rawProduce);
        return List.of(row(name + ".p50", scenario, system, raw, floor, split, 50, note),
            row(name + ".p99", scenario, system, raw, floor, split, 99, note));
    }

    /**
     * Where the time goes: the producer's store and publish phases as it measures them itself, and the raw
     * enqueue's link-and-fsync and produce, in milliseconds per sample.
     */
    private record Phases(double[] store, double[] publish, double[] rawDisk, double[] rawProduce) {
        String describe(double p) {
            return String.format(java.util.Locale.ROOT, "phases at p%.0f, system vs raw: store %.2f ms (link, fsync "
                    + "rounds, manifest) vs link+fsync %.2f ms; publish %.2f ms vs produce %.2f ms", p,
                Stats.percentile(store, p), Stats.percentile(rawDisk, p), Stats.percentile(publish, p),
                Stats.percentile(rawProduce, p));
        }
    }

    private static Result row(String name, String scenario, double[] system, double[] raw, double[] floor,
                              Phases phases, double p, String note) {
        double value = Stats.percentile(system, p);
        double floorValue = Stats.percentile(floor, p);
        String text = String.format(java.util.Locale.ROOT, "%s; the durability floor, interleaved too (the raw "
            + "enqueue plus the manifest in the first fsync round, its rename and one more fsync of the bundle "
            + "directory, which must end before the record is published): %.2f ms, the system %.2fx that floor; %s",
            scenario, floorValue, value / floorValue, phases.describe(p));
        return new Result(name, text, value, Stats.percentile(raw, p), "ms", Target.ratioAtMost(1.5, "raw"), note, "");
    }

    /** A manifest the producer wrote: the floor writes one as large. */
    private static Path firstManifest(Path store) throws java.io.IOException {
        try (var files = Files.walk(store)) {
            return files.filter(f -> f.getFileName().toString().equals("manifest.json")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no manifest.json under " + store));
        }
    }

    /**
     * Links {@code source}'s files into {@code dir} and fsyncs them with {@code dir}'s levels in one round on
     * {@code fsyncs} (the producer's own mechanism), with {@code manifest}'s temp file when given (null: none), which
     * is then renamed into place and its name fsynced (the producer's {@code Durable} calls); then produces.
     * Returns {@link System#nanoTime} when the files were durable, before the produce.
     */
    private static long rawEnqueue(Parts.Part source, Path dir, KafkaProducer<String, byte[]> kafka, String topic,
                                   byte[] value, Fsyncs fsyncs, byte[] manifest) throws Exception {
        Path core = Files.createDirectories(dir.resolve("core"));
        List<Path> files = new ArrayList<>();
        for (dev.handoff.producer.Bundle.Type type : source.bundle().types()) {
            try (var listed = Files.list(type.directory())) {
                for (Path f : listed.toList()) {
                    files.add(Files.createLink(core.resolve(f.getFileName()), f));
                }
            }
        }
        Path target = dir.resolve("manifest.json");
        Path temp = manifest == null ? null : Durable.writeTemp(target, manifest);
        if (temp != null) {
            files.add(temp);
        }
        fsyncs.fsyncAll(files, List.of(core, dir, dir.getParent()));
        if (temp != null) {
            Durable.replace(temp, target);
            fsyncs.fsyncAll(List.of(), List.of(dir));
        }
        long durable = System.nanoTime();
        kafka.send(new ProducerRecord<>(topic, "sw_metric/0", value)).get();
        return durable;
    }
}
