package dev.handoff.datanode;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** What the data node's integration tests start from: a fresh directory per test and data nodes on free loopback ports. */
abstract class DataNodeTestSupport {
    static final long MIB = 1024 * 1024;

    @TempDir
    Path temp;

    /** Settings over {@code dir} listening on a free loopback port; a test adds its faults. */
    static DataNodeSettings.Builder loopback(Path dir) {
        return DataNodeSettings.builder(dir).listen("localhost", 0);
    }

    /** A started data node over {@code dir} on a free loopback port. */
    static DataNode startedOn(Path dir) throws IOException {
        return new DataNode(loopback(dir).build()).start();
    }
}
