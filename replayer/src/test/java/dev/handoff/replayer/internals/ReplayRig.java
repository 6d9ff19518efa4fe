package dev.handoff.replayer.internals;

import dev.handoff.datanode.DataNode;
import dev.handoff.datanode.DataNodeSettings;
import dev.handoff.testkit.FakePartStore;
import dev.handoff.testkit.KafkaClusterExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What a replayer IT starts from: the Kafka side ({@link KafkaFixture}: topics, group, records) and a part store the
 * records' bundles are fetched from, both closed by {@link #close()}.
 */
final class ReplayRig implements AutoCloseable {
    final KafkaFixture kafka;
    final FakePartStore store;

    ReplayRig(KafkaClusterExtension cluster, Path tmp) throws Exception {
        this.kafka = new KafkaFixture(cluster.bootstrapServers());
        try {
            this.store = new FakePartStore(Files.createDirectories(tmp.resolve("store")));
        } catch (Exception | Error e) {
            kafka.close();
            throw e;
        }
    }

    /** A started reference data node in {@code dir} on a free localhost port whose every session waits {@code latency}. */
    static DataNode dataNode(Path dir, Duration latency) throws Exception {
        return new DataNode(DataNodeSettings.builder(dir).listen("localhost", 0).testLatencyPerSession(latency).build())
            .start();
    }

    @Override
    public void close() {
        store.close();
        kafka.close();
    }
}
