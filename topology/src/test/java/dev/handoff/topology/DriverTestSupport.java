package dev.handoff.topology;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Gives each test a fresh {@link TopologyFixture} over a temporary state directory. */
abstract class DriverTestSupport {
    @TempDir
    Path stateDir;
    TopologyFixture fx;

    @BeforeEach
    void startDriver() {
        fx = new TopologyFixture(stateDir);
    }

    @AfterEach
    void closeDriver() {
        fx.close();
    }
}
