package dev.handoff.e2e.faults;

import dev.handoff.producer.Bundle;
import dev.handoff.protocol.FileEntry;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.PartTypeEntry;
import dev.handoff.protocol.common.Checksums;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Liaison-side part directories for the fault suite: a {@code core} part (two files) and a {@code sidx_a}
 * part (one file) per part id, with deterministic random contents, under {@code <root>/<partIdHex>/<type>/}.
 */
final class Parts {
    static final String GROUP = "g";

    /** A written part: the bundle to enqueue and what the data node must end up holding. */
    record Written(Bundle bundle, List<PartTypeEntry> types) {
        PartKey key() {
            return bundle.part();
        }
    }

    private Parts() {
    }

    static PartKey key(long partId) {
        return new PartKey(Stack.LIAISON, GROUP, (int) (partId % 4), partId);
    }

    /** Writes part {@code partId} with about {@code bytes} bytes of data in total. */
    static Written write(Path root, long partId, int bytes) throws IOException {
        SplittableRandom random = new SplittableRandom(partId);
        Path dir = root.resolve(String.format("%016x", partId));
        List<PartTypeEntry> types = new ArrayList<>();
        types.add(type(dir, "core", Map.of("data.bin", content(random, bytes * 3 / 4), "meta.json", content(random, 64))));
        types.add(type(dir, "sidx_a", Map.of("index.bin", content(random, Math.max(1, bytes / 4)))));
        return new Written(bundle(root, partId), types);
    }

    /** The bundle of a part already written under {@code root} (what a child producer enqueues). */
    static Bundle bundle(Path root, long partId) {
        Path dir = root.resolve(String.format("%016x", partId));
        return Bundle.of(key(partId), new Bundle.Type("core", dir.resolve("core"), Map.of("compressedSizeBytes", 1L)),
            new Bundle.Type("sidx_a", dir.resolve("sidx_a"), Map.of()));
    }

    /** Total size of a written part's files. */
    static long size(Written w) {
        return w.types().stream().flatMap(t -> t.files().stream()).mapToLong(FileEntry::size).sum();
    }

    private static PartTypeEntry type(Path part, String type, Map<String, byte[]> files) throws IOException {
        Path dir = Files.createDirectories(part.resolve(type));
        List<FileEntry> entries = new ArrayList<>();
        for (String name : Stream.of(files.keySet().toArray(String[]::new)).sorted().toList()) {
            byte[] data = files.get(name);
            Files.write(dir.resolve(name), data);
            entries.add(new FileEntry(name, data.length, Checksums.crc32c(data)));
        }
        return new PartTypeEntry(type, entries, Map.of());
    }

    private static byte[] content(SplittableRandom random, int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) random.nextInt(256);
        }
        return b;
    }
}
