package dev.handoff.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store root and {@code <liaison>/} a producer's first start creates are durable before it stores anything. */
class FirstStartTest {

    @TempDir
    Path tmp;

    private static BundleStore store(Path root) {
        return new BundleStore(new StoreLayout(root, "liaison-1"), new MicrometerProducerMetrics(new SimpleMeterRegistry()));
    }

    @Test
    void shouldFsyncTheParentsOfTheStoreRootAndTheLiaisonDirectoryAtFirstStart() throws Exception {
        // Given a store root that does not exist yet
        Path root = tmp.resolve("store");
        List<Path> synced = new ArrayList<>();

        // When the store is recovered for the first time
        List<Manifest> loaded = store(root).recover(synced::add);

        // Then the root's parent and the root (parent of liaison-1/) were fsynced, in that order
        assertThat(loaded).isEmpty();
        assertThat(root.resolve("liaison-1")).isDirectory();
        assertThat(synced).containsExactly(tmp, root);
    }

    @Test
    void shouldFsyncNothingAboveTheStoreWhenItExists() throws Exception {
        // Given a store that started once
        Path root = tmp.resolve("store");
        store(root).recover();
        List<Path> synced = new ArrayList<>();

        // When it starts again
        store(root).recover(synced::add);

        // Then no directory above the store is fsynced again
        assertThat(synced).isEmpty();
    }
}
