package dev.handoff.protocol.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FsyncsTest {
    @TempDir
    Path tmp;

    @Test
    void shouldFsyncEveryFileAndDirectoryInParallelAndSerially() throws IOException {
        // Given files and directories that exist
        Path a = Files.writeString(tmp.resolve("a"), "a");
        Path b = Files.writeString(tmp.resolve("b"), "b");
        for (Fsyncs fsyncs : List.of(Fsyncs.parallel(2, "test-fsync"), Fsyncs.serial())) {
            try (fsyncs) {
                // When they are fsynced together, Then nothing fails
                fsyncs.fsyncAll(List.of(a, b), List.of(tmp));
            }
        }
        assertThat(a).hasContent("a");
    }

    @Test
    void shouldThrowTheFirstFailureInOrderWithTheOthersSuppressedInBothModes() throws IOException {
        // Given two missing files around one that exists
        Path gone1 = tmp.resolve("gone-1");
        Path there = Files.writeString(tmp.resolve("there"), "x");
        Path gone2 = tmp.resolve("gone-2");
        for (Fsyncs fsyncs : List.of(Fsyncs.parallel(3, "test-fsync"), Fsyncs.serial())) {
            try (fsyncs) {
                // When they are fsynced together
                // Then the first missing file is the failure, and the second is not hidden
                assertThatThrownBy(() -> fsyncs.fsyncAll(List.of(gone1, there, gone2), List.of(tmp)))
                    .isInstanceOf(NoSuchFileException.class).hasMessageContaining("gone-1")
                    .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
                        .isInstanceOf(NoSuchFileException.class).extracting(Throwable::getMessage).asString()
                        .contains("gone-2"));
            }
        }
    }

    @Test
    void shouldRefuseToFsyncOnceClosed() throws IOException {
        // Given a closed parallel fsyncer
        Fsyncs fsyncs = Fsyncs.parallel(2, "test-fsync");
        fsyncs.close();
        Path a = Files.writeString(tmp.resolve("a"), "a");
        // When it is asked for two fsyncs, Then it says it is closing
        assertThatThrownBy(() -> fsyncs.fsyncAll(List.of(a, a), List.of()))
            .isInstanceOf(IOException.class).hasMessageContaining("closing");
    }

    @Test
    void shouldNamePoolThreadsWithANumber() throws InterruptedException {
        // Given a numbered daemon factory
        Thread first = Daemons.numbered("pool-").newThread(() -> { });
        Thread second = Daemons.numbered("pool-").newThread(() -> { });
        var factory = Daemons.numbered("other-");
        // Then threads are daemons named prefix + n, counted per factory
        assertThat(first.getName()).isEqualTo("pool-1");
        assertThat(second.getName()).isEqualTo("pool-1");
        assertThat(factory.newThread(() -> { }).getName()).isEqualTo("other-1");
        assertThat(factory.newThread(() -> { }).isDaemon()).isTrue();
    }
}
