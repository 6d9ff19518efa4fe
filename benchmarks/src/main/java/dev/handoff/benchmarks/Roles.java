package dev.handoff.benchmarks;

import dev.handoff.datanode.DataNode;
import dev.handoff.datanode.DataNodeSettings;
import dev.handoff.producer.HandoffProducer;
import dev.handoff.producer.ProducerSettings;
import dev.handoff.protocol.HandoffException;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.common.TopicAdmin.TopicSettings;
import dev.handoff.replayer.Replayer;
import dev.handoff.replayer.ReplayerSettings;
import dev.handoff.testkit.StartedRoles;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Starts the real roles the way an operator would, with their defaults unless a scenario says
 * otherwise: a producer (part store + PartStore gRPC on localhost), reference data nodes and replayers.
 */
final class Roles {
    /** Node topics of every scenario: 4 partitions, so a node's work can be shared by several replayers. */
    static final int NODE_PARTITIONS = 4;

    private Roles() {
    }

    static HandoffProducer producer(BenchContext ctx, Topics topics, Path store, String liaison, int nodePartitions)
        throws HandoffException {
        return producer(ctx, topics, store, liaison, nodePartitions, ProducerSettings.builder(store, liaison, ctx.kafka()));
    }

    static HandoffProducer producer(BenchContext ctx, Topics topics, Path store, String liaison, int nodePartitions,
                                    ProducerSettings.Builder builder) throws HandoffException {
        return producer(topics, nodePartitions, builder, new SimpleMeterRegistry());
    }

    /** A producer whose meters go to {@code registry} (a benchmark that reads what the producer measures). */
    static HandoffProducer producer(Topics topics, int nodePartitions, ProducerSettings.Builder builder,
                                    MeterRegistry registry) throws HandoffException {
        return StartedRoles.started(new HandoffProducer(builder
            .listen("localhost", 0)
            .topicPrefix(topics.prefix())
            .nodeTopics(new TopicSettings(nodePartitions, (short) 1, null))
            .storeLimits(null, 95.0)
            .build(), registry, Clock.systemUTC()), HandoffProducer::start);
    }

    static DataNode dataNode(Path dir, Duration latency) throws IOException {
        return StartedRoles.started(new DataNode(DataNodeSettings.builder(dir).listen("localhost", 0)
            .testLatencyPerSession(latency).build(), new SimpleMeterRegistry()), DataNode::start);
    }

    /** A reference data node with {@code --unsafe-no-fsync-benchmark-only}: verifies, fsyncs nothing (pipeline). */
    static DataNode noFsyncDataNode(Path dir) throws IOException {
        return new DataNode(DataNodeSettings.builder(dir).listen("localhost", 0).unsafeNoFsyncBenchmarkOnly(true).build(), new SimpleMeterRegistry())
            .start();
    }

    /** The replayer's default bundles in flight per node, read from its settings so row texts stay true. */
    static int defaultInFlightPerNode() {
        return ReplayerSettings.builder(dev.handoff.protocol.common.KafkaSettings.of("localhost:9092")).build()
            .limits().maxInFlightPerNode();
    }

    /** Replayer settings with every default except topic prefix, group and instance. */
    static ReplayerSettings.Builder replayerSettings(BenchContext ctx, Topics topics, String group, String instance) {
        return ReplayerSettings.builder(ctx.kafka()).topicPrefix(topics.prefix()).groupId(group).instanceId(instance);
    }

    static Replayer replayer(ReplayerSettings settings, MeterRegistry registry) {
        return StartedRoles.started(new Replayer(settings, registry, Clock.systemUTC()), Replayer::start);
    }

    /** Waits until every replayer is a polling group member. */
    static void awaitReady(List<Replayer> replayers) {
        BenchContext.await("replayers ready", Duration.ofSeconds(60), () -> replayers.stream().allMatch(Replayer::isReady));
    }

    static void closeAll(List<? extends AutoCloseable> closeables) {
        StartedRoles.closeAll(closeables, (role, e) -> org.slf4j.LoggerFactory.getLogger(Roles.class).atWarn()
            .addKeyValue("error", e.toString()).log("error while closing a role"));
    }
}
