package dev.handoff.benchmarks;

import dev.handoff.embedded.EmbeddedKafkaCluster;
import dev.handoff.protocol.Health;
import dev.handoff.protocol.NodeStatus;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.common.Durable;
import dev.handoff.protocol.common.KafkaSettings;
import dev.handoff.protocol.common.TopicAdmin;
import dev.handoff.protocol.json.Codecs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What every scenario shares: one embedded KRaft broker, an admin client, a raw producer for node
 * statuses, and a work directory on the local disk. Each scenario gets its own topic prefix so runs
 * never see each other's records. Confined to the thread running the scenarios.
 */
final class BenchContext implements AutoCloseable {
    private final boolean quick;
    private final Path workDir;
    private final EmbeddedKafkaCluster cluster;
    private final KafkaSettings kafka;
    private final Admin admin;
    private final KafkaProducer<String, byte[]> statusProducer;
    private final AtomicInteger runs = new AtomicInteger();

    BenchContext(boolean quick, Path workDir) {
        this.quick = quick;
        this.workDir = workDir;
        this.cluster = EmbeddedKafkaCluster.start(1);
        this.kafka = KafkaSettings.of(cluster.bootstrapServers());
        this.admin = Admin.create(kafka.admin());
        this.statusProducer = new KafkaProducer<>(kafka.producer("bench-status"), new StringSerializer(),
            new ByteArraySerializer());
    }

    boolean quick() {
        return quick;
    }

    /** {@code full} in a full run, {@code quick} with {@code --quick}. */
    int scale(int full, int quickValue) {
        return quick ? quickValue : full;
    }

    KafkaSettings kafka() {
        return kafka;
    }

    Admin admin() {
        return admin;
    }

    /** A fresh topic prefix with its fixed topics created: one per run of a scenario. */
    Topics topics(String scenario) throws ExecutionException, InterruptedException {
        Topics topics = new Topics("bench-" + scenario + "-" + runs.incrementAndGet());
        TopicAdmin.ensureFixed(admin, topics, new TopicAdmin.TopicSettings(1, (short) 1, null));
        return topics;
    }

    /** Creates a node topic with {@code partitions} partitions and the contract's configs. */
    String nodeTopic(Topics topics, String node, int partitions) throws ExecutionException, InterruptedException {
        String topic = topics.node(node);
        TopicAdmin.ensure(admin, topic, new TopicAdmin.TopicSettings(partitions, (short) 1, null),
            TopicAdmin.nodeTopicConfigs());
        return topic;
    }

    /** Writes a node status the way the topology would: replayers pause or resume the node on it. */
    void status(Topics topics, String node, Health health) throws ExecutionException, InterruptedException {
        statuses(topics, List.of(node), health);
    }

    /** {@link #status} of many nodes at once: all sent before the first acknowledgement is awaited. */
    void statuses(Topics topics, List<String> nodes, Health health) throws ExecutionException, InterruptedException {
        List<java.util.concurrent.Future<?>> sent = new java.util.ArrayList<>();
        for (String node : nodes) {
            NodeStatus s = new NodeStatus(node, health, false, null, 0, 0, null, System.currentTimeMillis());
            sent.add(statusProducer.send(new ProducerRecord<>(topics.nodeStatus(), node, Codecs.NODE_STATUS.encode(s))));
        }
        for (java.util.concurrent.Future<?> f : sent) {
            f.get();
        }
    }

    /** A new empty directory under the work directory. */
    Path dir(String name) throws IOException {
        return Files.createDirectories(workDir.resolve(name + "-" + runs.incrementAndGet()));
    }

    /** Waits until {@code done} holds, polling every millisecond; fails with {@code what} after {@code timeout}. */
    static void await(String what, Duration timeout, BooleanSupplier done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeout + " waiting for " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }

    @Override
    public void close() throws IOException {
        statusProducer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
        cluster.close();
        try {
            Durable.deleteTree(workDir);
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(BenchContext.class).atWarn().addKeyValue("dir", workDir)
                .addKeyValue("error", e.toString()).log("could not remove the work directory");
        }
    }
}
