package dev.handoff.protocol.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import org.junit.jupiter.api.Test;

class NoSpaceTest {

    @Test
    void shouldRecogniseAFullDiskWhenTheJdkReportsEnospcAnywhereInTheCauseChain() {
        // Given the JDK's two shapes of ENOSPC (a plain IOException from a channel, a FileSystemException's reason), wrapped
        IOException fromChannel = new IOException("No space left on device");
        FileSystemException fromCopy = new FileSystemException("/store/a.bin", null, "No space left on device");

        // When / Then each is a full disk, also as a cause, and so is a used-up quota
        assertThat(NoSpace.isNoSpace(fromChannel)).isTrue();
        assertThat(NoSpace.isNoSpace(new UncheckedIOException(fromCopy))).isTrue();
        assertThat(NoSpace.isNoSpace(new IOException("Disk quota exceeded"))).isTrue();
    }

    @Test
    void shouldNotTakeOtherIoFailuresForAFullDiskWhenTheyAreNotEnospc() {
        // Given other I/O failures, one without a message
        // When / Then none is a full disk
        assertThat(NoSpace.isNoSpace(new IOException("Input/output error"))).isFalse();
        assertThat(NoSpace.isNoSpace(new FileSystemException("/store/a.bin", null, "Permission denied"))).isFalse();
        assertThat(NoSpace.isNoSpace(new IOException())).isFalse();
    }
}
