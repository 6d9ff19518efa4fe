package dev.handoff.benchmarks;

import dev.handoff.datanode.DataNode;
import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.FileEntry;
import dev.handoff.protocol.Health;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.PartTypeEntry;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.json.Codecs;
import dev.handoff.replayer.Replayer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.handoff.protocol.common.FirstWriteGuard;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * backlog: the drain rate of one replayer over the first 1,000 deliveries when 1,000,000 records are
 * pending for the node, against the same measurement with only 1,000 pending. A million stored bundles
 * would be four million files, so every record points at one source that serves the same 4 small files
 * for any PartKey (the data node still stores each PartKey separately); the records themselves are real
 * enqueue records in a real node topic.
 */
final class Backlog implements Scenario {
    private static final org.slf4j.Logger LOGGER = org.slf4j.LoggerFactory.getLogger(Backlog.class);
    /** The first part id of a backlog's records. */
    static final long FIRST_ID = 0x5000_0000L;

    @Override
    public List<Result> run(BenchContext ctx, String name, Path work) throws Exception {
        int window = ctx.scale(1_000, 200);
        int large = ctx.scale(1_000_000, 10_000);
        Parts.Part template = new Parts(work.resolve("source"), 13).small(new PartKey("liaison-1", "g", 0, 1));
        List<Path> files = files(template);
        try (FileServer source = new FileServer(r -> files, 1 << 20)) {
            double small = drainRate(ctx, ctx.topics(name), work, source.address(), template, window, window);
            double big = drainRate(ctx, ctx.topics(name), work, source.address(), template, large, window);
            return List.of(new Result(name,
                String.format("one replayer, rate over the first %,d deliveries with %,d pending vs %,d pending",
                    window, large, window),
                big, small, "parts/s", Target.ratioAtLeast(0.9, "the small backlog"),
                "the same measurement with " + String.format("%,d", window) + " pending", ""));
        }
    }

    private static double drainRate(BenchContext ctx, Topics topics, Path work, String source, Parts.Part template,
                                    int pending, int window) throws Exception {
        List<AutoCloseable> roles = new ArrayList<>();
        try {
            DataNode node = DrainSmall.own(roles, Roles.dataNode(work.resolve("node-" + topics.prefix()), Duration.ZERO));
            String topic = ctx.nodeTopic(topics, node.address(), Roles.NODE_PARTITIONS);
            ctx.status(topics, node.address(), Health.DOWN);
            long t0 = System.nanoTime();
            produce(ctx, topic, node.address(), source, template, pending, FIRST_ID);
            LOGGER.atInfo().addKeyValue("records", pending).addKeyValue("seconds", (System.nanoTime() - t0) / 1e9)
                .log("backlog produced");
            Replayer replayer = DrainSmall.own(roles, Roles.replayer(
                Roles.replayerSettings(ctx, topics, "backlog-" + pending, "r1").build(), new SimpleMeterRegistry()));
            Roles.awaitReady(List.of(replayer));
            ctx.status(topics, node.address(), Health.UP);
            double rate = window / Backlogs.secondsToApply(node, 0, window, Duration.ofMinutes(10));
            LOGGER.atInfo().addKeyValue("pending", pending).addKeyValue("rate", rate).log("window drained");
            return rate;
        } finally {
            long t1 = System.nanoTime();
            Roles.closeAll(roles);
            LOGGER.atInfo().addKeyValue("seconds", (System.nanoTime() - t1) / 1e9).log("roles closed");
        }
    }

    /** The files of {@code template}, in header order: what a {@link FileServer} serves for every PartKey. */
    static List<Path> files(Parts.Part template) {
        List<Path> files = new ArrayList<>();
        for (PartTypeEntry t : template.types()) {
            for (FileEntry f : t.files()) {
                files.add(template.bundle().types().stream().filter(b -> b.type().equals(t.type())).findFirst()
                    .orElseThrow().directory().resolve(f.name()));
            }
        }
        return files;
    }

    /**
     * Writes {@code count} enqueue records for {@code node}, round-robin over the partitions, all pointing at
     * {@code source}, part ids from {@code firstId}.
     */
    static void produce(BenchContext ctx, String topic, String node, String source, Parts.Part template, int count,
                        long firstId) throws Exception {
        Map<String, Object> config = ctx.kafka().producer("bench-backlog");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        long now = System.currentTimeMillis();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(),
            new ByteArraySerializer());
             FirstWriteGuard<String, byte[]> guard = new FirstWriteGuard<>(producer, new StringSerializer(),
                 "bench-first-write")) {
            // the guard sends each partition's first record alone: the topics were just created (KAFKA-15591)
            java.util.concurrent.atomic.AtomicReference<Throwable> failed = new java.util.concurrent.atomic.AtomicReference<>();
            java.util.concurrent.CompletableFuture<?>[] last = new java.util.concurrent.CompletableFuture<?>[Roles.NODE_PARTITIONS];
            for (int i = 0; i < count; i++) {
                int shard = i % Roles.NODE_PARTITIONS;
                EnqueueRecord r = new EnqueueRecord(node, List.of(node), "liaison-1", source, "sw_metric", shard,
                    firstId + i, template.types(), template.bytes(), now, null);
                last[shard] = guard.send(new ProducerRecord<>(topic, shard, r.part().groupShard(), Codecs.ENQUEUE.encode(r)))
                    .whenComplete((m, e) -> {
                        if (e != null) {
                            failed.compareAndSet(null, e);
                        }
                    });
            }
            for (java.util.concurrent.CompletableFuture<?> f : last) {
                if (f != null) {
                    f.exceptionally(e -> null).get(2, java.util.concurrent.TimeUnit.MINUTES);
                }
            }
            if (failed.get() != null) {
                throw new IllegalStateException("backlog records not written to " + topic, failed.get());
            }
        }
    }
}
