package dev.handoff.datanode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.protocol.FileEntry;
import dev.handoff.protocol.PartTypeEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleVerifierTest {
    @TempDir
    Path dir;

    @Test
    void shouldFindNoProblemInAnIntactBundle() throws Exception {
        List<PartTypeEntry> types = Bundles.write(dir, Map.of("core", Map.of("a", 100L)), 1);

        assertThat(BundleVerifier.verify(dir, types)).isEmpty();
    }

    @Test
    void shouldReportChangedBytesMissingFilesAndExtraFiles() throws Exception {
        // Given a bundle whose file was changed, one announced file missing and one extra file
        List<PartTypeEntry> types = Bundles.write(dir, Map.of("core", Map.of("a", 100L)), 2);
        byte[] bytes = Files.readAllBytes(dir.resolve("core/a"));
        bytes[0] ^= 1;
        Files.write(dir.resolve("core/a"), bytes);
        Files.writeString(dir.resolve("core/extra"), "x");
        PartTypeEntry core = types.get(0);
        List<PartTypeEntry> expected = List.of(new PartTypeEntry("core",
            List.of(core.files().get(0), new FileEntry("gone", 1, 0)), Map.of()));

        // When verified, Then each problem is named
        assertThat(BundleVerifier.verify(dir, expected)).containsExactlyInAnyOrder(
            "core/a: CRC32C " + String.format("0x%08x", Bundles.oneFile("t", "f", bytes).get(0).files().get(0).crc32c())
                + ", expected " + String.format("0x%08x", core.files().get(0).crc32c()),
            "core/gone: missing file",
            "unexpected core/ file extra");
    }
}
