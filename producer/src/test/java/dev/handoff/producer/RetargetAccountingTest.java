package dev.handoff.producer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.common.PartLocks;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A retarget's stand-in takes over the replaced node's share of the per-node quota, and gives it back once. */
class RetargetAccountingTest {
    private static final String OLD = "old-1:9420";
    private static final String NEW = "new-1:9420";
    private static final PartKey PART = new PartKey("l1", "g", 1, 42L);

    @TempDir
    Path tmp;

    @Test
    void shouldMoveTheNodeShareToTheStandInAndFreeItWhenTheStandInCompletes() throws Exception {
        // Given a stored bundle pending for OLD only, charged to OLD's share
        BundleStore store = new BundleStore(new StoreLayout(tmp.resolve("store"), PART.liaison()),
            new MicrometerProducerMetrics(new SimpleMeterRegistry()));
        Bundle bundle = Bundle.of(PART, new Bundle.Type("core", Fixtures.typeDir(tmp.resolve("src"), "core",
            Map.of("primary.bin", Fixtures.bytes(100, 1))), Map.of()));
        Manifest m = store.storeNew(store.plan(bundle),
            types -> Manifest.fresh(PART, types, List.of(new Manifest.Target(OLD, 1_000, true))));
        StoreSpace space = new StoreSpace(1 << 30, 1L << 20);
        space.accountNodes(m.pendingNodes(), m.bytes());
        ManifestChanges changes = new ManifestChanges(store, space, new PartLocks(4));

        // When OLD's record is moved to NEW
        changes.applyAll(List.of(new ManifestChanges.Change(PART, x -> x.withRetargeted(OLD, NEW, 2_000), "retargeted")));

        // Then OLD's share is free and NEW carries the bundle
        assertThat(space.nodeUsedBytes(OLD)).isZero();
        assertThat(space.nodeUsedBytes(NEW)).isEqualTo(m.bytes());

        // When NEW completes it, NEW's share is free, once
        changes.applyAll(List.of(new ManifestChanges.Change(PART, x -> x.withCompleted(NEW), "completed by " + NEW)));
        changes.applyAll(List.of(new ManifestChanges.Change(PART, x -> x.completed().contains(NEW) ? x
            : x.withCompleted(NEW), "completed by " + NEW + " again")));
        assertThat(space.nodeUsedBytes(NEW)).isZero();
        assertThat(store.get(PART).orElseThrow().pendingNodes()).isEmpty();
    }
}
