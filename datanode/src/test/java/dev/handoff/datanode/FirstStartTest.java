package dev.handoff.datanode;

import dev.handoff.protocol.common.Fsyncs;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The directory entries a data node's first start creates are durable before it serves anything. */
class FirstStartTest {

    @TempDir
    Path tmp;

    @Test
    void shouldFsyncTheParentOfEveryDirectoryItCreatesAtFirstStart() throws Exception {
        // Given a --dir two levels below an existing directory
        Path dir = tmp.resolve("disk").resolve("node-1");
        List<Path> synced = new ArrayList<>();

        // When the store opens for the first time
        try (BundleStore store = BundleStore.open(dir, Fsyncs.serial(), DataNodeSettings.DEFAULT_FSYNC_WAIT, synced::add)) {
            // Then disk/ and node-1/ are in fsynced parents, and node-1/ itself (for parts/ and tmp/)
            assertThat(store.tmpDir()).isDirectory();
            assertThat(synced).containsExactly(tmp, tmp.resolve("disk"), dir);
        }
    }

    @Test
    void shouldNotFsyncTheParentsAgainWhenTheDirectoryExists() throws Exception {
        // Given a data node that started once
        Path dir = tmp.resolve("node-1");
        BundleStore.open(dir, Fsyncs.serial(), DataNodeSettings.DEFAULT_FSYNC_WAIT).close();
        List<Path> synced = new ArrayList<>();

        // When it starts again
        try (BundleStore store = BundleStore.open(dir, Fsyncs.serial(), DataNodeSettings.DEFAULT_FSYNC_WAIT, synced::add)) {
            // Then only its own directory is fsynced, none above it
            assertThat(store.appliedParts()).isEmpty();
            assertThat(synced).containsExactly(dir);
        }
    }
}
