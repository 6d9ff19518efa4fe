package dev.handoff.replayer.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handoff.datanode.DataNode;
import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.FileEntry;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.PartTypeEntry;
import dev.handoff.replayer.Replayer;
import dev.handoff.testkit.FakePartStore;
import dev.handoff.testkit.PartFiles;
import dev.handoff.testkit.SmallHeap;
import dev.handoff.testkit.SharedKafkaTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Runs in its own Failsafe execution with {@code -Xmx128m}: the bundle is twice the whole heap. */
class ReplayerLargeIT extends SharedKafkaTest {
    private static final long MIB = 1024 * 1024;

    @Test
    void shouldDeliverABundleLargerThanTheHeapWithBoundedMemory() throws Exception {
        // On a heap as large as the file this test would prove nothing
        SmallHeap.requireSmallerThan(256 * MIB);
        try (ReplayRig rig = new ReplayRig(KAFKA, tmp);
             DataNode node = ReplayRig.dataNode(tmp.resolve("node"), Duration.ZERO)) {
            KafkaFixture kafka = rig.kafka;
            FakePartStore store = rig.store;
            // Given a bundle with a 256 MiB core file, more than this JVM's heap
            kafka.nodeTopic(node.address(), 1);
            PartKey key = new PartKey("liaison-big", "g", 0, 0xb16L);
            Random random = new Random(7);
            FileEntry big = PartFiles.writeRandom(store.bundleDir(key).resolve("core").resolve("data.bin"), 256 * MIB, random);
            PartTypeEntry core = new PartTypeEntry("core", List.of(big), Map.of());
            PartTypeEntry sidx = Bundles.type(store, key, "sidx_a", Map.of("index.bin", 4096), random);
            EnqueueRecord record = Bundles.record(store, node.address(), key, List.of(core, sidx), 1000);
            kafka.enqueue(record, 0);

            // When a replayer delivers it
            try (Replayer replayer = new Replayer(kafka.settings("big").build(), new SimpleMeterRegistry(), Clock.systemUTC())) {
                replayer.start();

                // Then it is applied intact and its offset committed
                await().atMost(Duration.ofMinutes(3)).untilAsserted(() -> {
                    assertThat(node.appliedCount(key)).isEqualTo(1);
                    assertThat(kafka.committed()).containsValue(1L);
                });
            }
            assertThat(node.verify(key, record.types())).isEmpty();
        }
    }
}
