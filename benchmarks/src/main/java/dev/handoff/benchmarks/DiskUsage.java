package dev.handoff.benchmarks;

import dev.handoff.producer.HandoffProducer;
import dev.handoff.producer.ProducerSettings;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * disk: the bytes handoff keeps for one part (8 MiB in core + sidx) enqueued for 3 nodes: the store's
 * files counted once per inode (hard links share blocks), its manifest, and the 3 enqueue records in
 * Kafka's log. Baseline: 3 plain copies of the part, made and counted in the same run.
 */
final class DiskUsage implements Scenario {
    /** How long the count waits for the producer's background "published" mark (its close waits as long). */
    private static final Duration MARKS_WAIT = Duration.ofSeconds(30);

    @Override
    public List<Result> run(BenchContext ctx, String name, Path work) throws Exception {
        Topics topics = ctx.topics(name);
        List<String> nodes = List.of("localhost:1", "localhost:2", "localhost:3");
        List<String> nodeTopics = new ArrayList<>();
        for (String n : nodes) {
            nodeTopics.add(ctx.nodeTopic(topics, n, 1));
        }
        PartKey key = new PartKey("liaison-1", "sw_metric", 0, 42);
        Parts.Part part = new Parts(work.resolve("liaison"), 3).write(key, Map.of(
            "core", Map.of("primary.bin", 6L << 20, "meta.bin", 4096L, "timestamps.bin", 512L << 10),
            "sidx_trace_id", Map.of("data.bin", 1536L << 10, "keys.bin", 64L << 10)));
        Path store = work.resolve("store");
        long storeBytes;
        long copyBytes;
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (HandoffProducer producer = Roles.producer(topics, 1, ProducerSettings.builder(store, "liaison-1", ctx.kafka()),
                 registry)) {
            producer.enqueue(part.bundle(), nodes);
            // The "published" mark is written to the manifest after the enqueue returns (a temp file renamed over
            // it): count the store once that is done, not while the temp file comes and goes.
            awaitMarksWritten(registry);
            storeBytes = uniqueBytes(store);
            copyBytes = plainCopies(part, work.resolve("copies"), nodes.size());
        }
        long kafkaBytes = logBytes(ctx, nodeTopics);
        double value = storeBytes + kafkaBytes;
        return List.of(new Result(name,
            String.format("one part of %,d bytes enqueued for 3 nodes: store (each inode once: store %,d bytes, files "
                + "hard-linked once + manifest) + the 3 records in Kafka's log (%,d bytes)", part.bytes(), storeBytes,
                kafkaBytes),
            value, copyBytes, "bytes", Target.ratioAtMost(0.34, "3 plain copies"),
            "3 plain copies of the part's files made in the same run (what a store keeping a copy per node holds), "
                + "bytes counted the same way", "reference: a copy per node"));
    }

    private static void awaitMarksWritten(SimpleMeterRegistry registry) throws InterruptedException {
        long deadline = System.nanoTime() + MARKS_WAIT.toNanos();
        while (registry.get("handoff.enqueue.marks.waiting").gauge().value() > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the producer's published marks were not written within " + MARKS_WAIT);
            }
            Thread.sleep(10);
        }
    }

    /** Copies every file of {@code part} {@code n} times under {@code dir} and counts the bytes the copies hold. */
    static long plainCopies(Parts.Part part, Path dir, int n) throws IOException {
        for (int c = 0; c < n; c++) {
            for (dev.handoff.producer.Bundle.Type t : part.bundle().types()) {
                Path target = Files.createDirectories(dir.resolve("copy-" + c).resolve(t.type()));
                try (Stream<Path> files = Files.list(t.directory())) {
                    for (Path f : files.toList()) {
                        Files.copy(f, target.resolve(f.getFileName()));
                    }
                }
            }
        }
        return uniqueBytes(dir);
    }

    /** Sum of file sizes under {@code root}, each inode once. */
    static long uniqueBytes(Path root) throws IOException {
        Set<Object> seen = new HashSet<>();
        long total = 0;
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (seen.add(Files.getAttribute(f, "unix:ino"))) {
                    total += Files.size(f);
                }
            }
        }
        return total;
    }

    private static long logBytes(BenchContext ctx, List<String> topics) throws Exception {
        Set<String> wanted = new HashSet<>(topics);
        long total = 0;
        Map<Integer, Map<String, LogDirDescription>> dirs = ctx.admin().describeLogDirs(
            ctx.admin().describeCluster().nodes().get().stream().map(n -> n.id()).toList()).allDescriptions().get();
        for (Map<String, LogDirDescription> byDir : dirs.values()) {
            for (LogDirDescription d : byDir.values()) {
                for (Map.Entry<TopicPartition, ReplicaInfo> e : d.replicaInfos().entrySet()) {
                    if (wanted.contains(e.getKey().topic())) {
                        total += e.getValue().size();
                    }
                }
            }
        }
        return total;
    }
}
