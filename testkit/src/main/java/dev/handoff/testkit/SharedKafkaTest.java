package dev.handoff.testkit;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixture most integration tests start from: the run's {@linkplain KafkaClusterExtension#shared() shared
 * broker} as {@link #KAFKA} and a fresh directory per test as {@link #tmp}. Extend it instead of declaring both.
 */
public abstract class SharedKafkaTest {
    @RegisterExtension
    protected static final KafkaClusterExtension KAFKA = KafkaClusterExtension.shared();

    @TempDir
    protected Path tmp;
}
