package dev.handoff.benchmarks;

import dev.handoff.producer.HandoffProducer;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.common.Durable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Kafka's log. Baseline: the reference keeps a copy per node, 3x the part.
 */
final class DiskUsage implements Scenario {
    @Override
    public String name() {
        return "disk";
    }

    @Override
    public List<Result> run(BenchContext ctx) throws Exception {
        Topics topics = ctx.topics(name());
        Path work = ctx.dir(name());
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
        try (HandoffProducer producer = Roles.producer(ctx, topics, store, "liaison-1", 1)) {
            producer.enqueue(part.bundle(), nodes);
            storeBytes = uniqueBytes(store);
        } finally {
            Durable.deleteTree(work);
        }
        long kafkaBytes = logBytes(ctx, nodeTopics);
        double value = storeBytes + kafkaBytes;
        double baseline = 3.0 * part.bytes();
        return List.of(new Result(name(),
            String.format("one part of %,d bytes enqueued for 3 nodes: store (each inode once) + manifest + Kafka records",
                part.bytes()),
            value, baseline, "bytes", "1x the part (ratio <= 0.34)", value <= 1.01 * part.bytes(),
            String.format("store %,d bytes (files hard-linked once, manifest), Kafka %,d bytes for the 3 records",
                storeBytes, kafkaBytes)));
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
