package dev.handoff.replayer;

import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.FileEntry;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.PartTypeEntry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32C;

/** Writes real bundle files into a {@link TestPartStore}'s directory and builds their enqueue records. */
final class Bundles {
    private Bundles() {
    }

    /** A bundle of {@code core} (two files) plus {@code sidx_a} and {@code sidx_b} (one file each) of small random files. */
    static EnqueueRecord write(TestPartStore store, String node, PartKey key, long enqueuedAt) throws IOException {
        Random random = new Random(key.partId());
        List<PartTypeEntry> types = List.of(
            type(store, key, "core", Map.of("data.bin", 2048 + random.nextInt(4096), "meta.json", 100 + random.nextInt(100)), random),
            type(store, key, "sidx_a", Map.of("index.bin", 512 + random.nextInt(2048)), random),
            type(store, key, "sidx_b", Map.of("index.bin", 512 + random.nextInt(2048)), random));
        return record(store, node, key, types, enqueuedAt);
    }

    static EnqueueRecord record(TestPartStore store, String node, PartKey key, List<PartTypeEntry> types, long enqueuedAt) {
        long bytes = types.stream().mapToLong(PartTypeEntry::bytes).sum();
        return new EnqueueRecord(node, List.of(node), key.liaison(), store.address(), key.group(), key.shard(), key.partId(),
            types, bytes, enqueuedAt, null);
    }

    /** One part type whose files (sorted by name, as the store serves them) hold random bytes of the given sizes. */
    static PartTypeEntry type(TestPartStore store, PartKey key, String type, Map<String, Integer> sizes, Random random)
        throws IOException {
        List<FileEntry> files = new ArrayList<>();
        for (String name : sizes.keySet().stream().sorted().toList()) {
            files.add(writeFile(store.bundleDir(key).resolve(type).resolve(name), sizes.get(name), random));
        }
        return new PartTypeEntry(type, files, Map.of("compressedSizeBytes", 1L));
    }

    /** Writes {@code size} random bytes in 1 MiB blocks (constant memory) and returns its entry. */
    static FileEntry writeFile(Path file, long size, Random random) throws IOException {
        Files.createDirectories(file.getParent());
        CRC32C crc = new CRC32C();
        byte[] block = new byte[(int) Math.min(size, 1024 * 1024)];
        try (OutputStream out = Files.newOutputStream(file)) {
            long left = size;
            while (left > 0) {
                random.nextBytes(block);
                int n = (int) Math.min(left, block.length);
                out.write(block, 0, n);
                crc.update(block, 0, n);
                left -= n;
            }
        }
        return new FileEntry(file.getFileName().toString(), size, crc.getValue());
    }
}
