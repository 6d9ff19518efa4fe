package dev.handoff.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.protocol.FileEntry;
import dev.handoff.protocol.PartTypeEntry;
import dev.handoff.protocol.common.Checksums;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartFilesTest {
    @TempDir
    Path tmp;

    @Test
    void shouldWriteRandomFilesWhoseEntriesMatchWhatIsOnDisk() throws Exception {
        // Given a layout with a file larger than one block, a small one and an empty one
        Map<String, Map<String, Long>> layout = new LinkedHashMap<>();
        Map<String, Long> core = new LinkedHashMap<>();
        core.put("data.bin", 200_000L);
        core.put("meta.json", 10L);
        layout.put("core", core);
        layout.put("sidx_a", Map.of("empty.bin", 0L));
        // When it is written twice with the same seed
        List<PartTypeEntry> first = PartFiles.writeRandom(tmp.resolve("one"), layout, new Random(7));
        List<PartTypeEntry> second = PartFiles.writeRandom(tmp.resolve("two"), layout, new Random(7));
        // Then every entry states the file's real size and CRC32C, in the layout's order, and the seed decides the content
        assertThat(first).extracting(PartTypeEntry::type).containsExactly("core", "sidx_a");
        for (PartTypeEntry type : first) {
            for (FileEntry f : type.files()) {
                Path file = tmp.resolve("one").resolve(type.type()).resolve(f.name());
                assertThat(Files.size(file)).isEqualTo(f.size());
                assertThat(Checksums.crc32c(file)).isEqualTo(f.crc32c());
            }
        }
        assertThat(first.get(0).files()).extracting(FileEntry::name).containsExactly("data.bin", "meta.json");
        assertThat(second).isEqualTo(first);
    }

    @Test
    void shouldWriteGivenContentInNameOrder() throws Exception {
        // When a type is written from explicit contents
        byte[] b = "bee".getBytes(StandardCharsets.UTF_8);
        PartTypeEntry type = PartFiles.writeType(tmp, "core", Map.of("b.bin", b, "a.bin", new byte[] {1}));
        // Then its files hold exactly those bytes and are listed by name
        assertThat(type.files()).extracting(FileEntry::name).containsExactly("a.bin", "b.bin");
        assertThat(Files.readAllBytes(tmp.resolve("core/b.bin"))).isEqualTo(b);
        assertThat(type.files().get(1)).isEqualTo(PartFiles.entry("b.bin", b));
        assertThat(type.files().get(1).crc32c()).isEqualTo(Checksums.crc32c(tmp.resolve("core/b.bin")));
    }
}
