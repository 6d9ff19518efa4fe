package dev.handoff.producer;

import static dev.handoff.producer.Fixtures.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.protocol.PartKey;
import dev.handoff.testkit.SharedKafkaTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class StoreLimitIT extends SharedKafkaTest {
    private static final String NODE = "127.0.0.1:1";

    private Bundle bundle(String liaison, long partId, int size) throws Exception {
        PartKey part = new PartKey(liaison, "g", 1, partId);
        Path dir = Fixtures.typeDir(tmp.resolve("src-" + partId), "core", Map.of("data.bin", bytes(size, (int) partId)));
        return Bundle.of(part, new Bundle.Type("core", dir, Map.of()));
    }

    @Test
    void shouldRefuseWhenFullStatingTheThreeNumbersAndEvictNothing() throws Exception {
        // Given a store limited to 10,000 bytes holding 6,000
        ProducerSettings settings = Fixtures.settings(KAFKA, tmp.resolve("store"), "full").storeLimits(10_000L, null).build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (HandoffProducer producer = Fixtures.started(settings, registry)) {
            producer.enqueue(bundle("full", 1, 6_000), List.of(NODE));
            Path first = settings.storeDir().resolve("full/g/1/0000000000000001/core/data.bin");

            // When a 5,000 byte bundle arrives
            Bundle big = bundle("full", 2, 5_000);

            // Then it is refused with current, limit and requested bytes; the stored bundle stays
            assertThatThrownBy(() -> producer.enqueue(big, List.of(NODE)))
                .isInstanceOf(StoreFullException.class)
                .hasMessageContaining("current 6000 bytes")
                .hasMessageContaining("requested 5000 bytes")
                .hasMessageContaining("limit of 10000 bytes")
                .satisfies(e -> assertThat(((StoreFullException) e).retriable()).isTrue());
            assertThat(first).exists().hasSize(6_000);
            assertThat(settings.storeDir().resolve("full/g/1/0000000000000002")).doesNotExist();
            assertThat(producer.usedBytes()).isEqualTo(6_000);
            assertThat(registry.get("handoff.enqueue.parts").tag("outcome", "refused").tag("reason", "store_full")
                .counter().count()).isEqualTo(1.0);
            assertThat(registry.get("handoff.store.used.bytes").gauge().value()).isEqualTo(6_000.0);
            assertThat(registry.get("handoff.store.limit.bytes").gauge().value()).isEqualTo(10_000.0);
            // and a bundle that fits still goes in
            producer.enqueue(bundle("full", 3, 4_000), List.of(NODE));
            assertThat(producer.usedBytes()).isEqualTo(10_000);
        }
    }

    @Test
    void shouldCountANodeQuotaRefusalUnderItsOwnReason() throws Exception {
        // Given a store whose nodes may hold 5,000 bytes each
        ProducerSettings settings = Fixtures.settings(KAFKA, tmp.resolve("store"), "quota").storeMaxBytesPerNode(5_000L).build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (HandoffProducer producer = Fixtures.started(settings, registry)) {
            // When a 6,000-byte bundle is enqueued for one node, Then it is refused over that node's quota
            assertThatThrownBy(() -> producer.enqueue(bundle("quota", 1, 6_000), List.of(NODE)))
                .isInstanceOf(NodeQuotaFullException.class);
            // and counted as node_quota, the more specific reason, not as store_full
            assertThat(registry.get("handoff.enqueue.parts").tag("outcome", "refused").tag("reason", "node_quota")
                .counter().count()).isEqualTo(1.0);
            assertThat(registry.find("handoff.enqueue.parts").tag("reason", "store_full").counters())
                .allSatisfy(c -> assertThat(c.count()).isZero());
        }
    }

    @Test
    void shouldNeverOvershootTheLimitWithConcurrentEnqueues() throws Exception {
        // Given a store of 10,000 bytes and eight 3,000-byte bundles enqueued at once
        ProducerSettings settings = Fixtures.settings(KAFKA, tmp.resolve("store"), "busy").storeLimits(10_000L, null).build();
        List<Bundle> bundles = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            bundles.add(bundle("busy", i, 3_000));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (HandoffProducer producer = Fixtures.started(settings)) {
            // When they race
            List<Future<Boolean>> results = new ArrayList<>();
            for (Bundle b : bundles) {
                Callable<Boolean> task = () -> {
                    try {
                        producer.enqueue(b, List.of(NODE));
                        return true;
                    } catch (StoreFullException e) {
                        return false;
                    }
                };
                results.add(pool.submit(task));
            }
            int accepted = 0;
            for (Future<Boolean> f : results) {
                accepted += f.get() ? 1 : 0;
            }

            // Then exactly three fit, the account says 9,000 and the disk holds exactly three bundles
            assertThat(accepted).isEqualTo(3);
            assertThat(producer.usedBytes()).isEqualTo(9_000);
            try (var dirs = Files.list(settings.storeDir().resolve("busy/g/1"))) {
                assertThat(dirs.toList()).hasSize(3);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
