package dev.handoff.replayer.internals;

import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.PartTypeEntry;
import dev.handoff.testkit.FakePartStore;
import dev.handoff.testkit.PartFiles;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/** Writes real bundle files into a {@link FakePartStore}'s directory and builds their enqueue records. */
final class Bundles {
    private Bundles() {
    }

    /** A bundle of {@code core} (two files) plus {@code sidx_a} and {@code sidx_b} (one file each) of small random files. */
    static EnqueueRecord write(FakePartStore store, String node, PartKey key, long enqueuedAt) throws IOException {
        Random random = new Random(key.partId());
        List<PartTypeEntry> types = List.of(
            type(store, key, "core", Map.of("data.bin", 2048 + random.nextInt(4096), "meta.json", 100 + random.nextInt(100)), random),
            type(store, key, "sidx_a", Map.of("index.bin", 512 + random.nextInt(2048)), random),
            type(store, key, "sidx_b", Map.of("index.bin", 512 + random.nextInt(2048)), random));
        return record(store, node, key, types, enqueuedAt);
    }

    static EnqueueRecord record(FakePartStore store, String node, PartKey key, List<PartTypeEntry> types, long enqueuedAt) {
        long bytes = types.stream().mapToLong(PartTypeEntry::bytes).sum();
        return new EnqueueRecord(node, List.of(node), key.liaison(), store.address(), key.group(), key.shard(), key.partId(),
            types, bytes, enqueuedAt, null);
    }

    /** One part type whose files (sorted by name, as the store serves them) hold random bytes of the given sizes. */
    static PartTypeEntry type(FakePartStore store, PartKey key, String type, Map<String, Integer> sizes, Random random)
        throws IOException {
        Map<String, Long> sorted = new TreeMap<>();
        sizes.forEach((name, size) -> sorted.put(name, size.longValue()));
        PartTypeEntry written = PartFiles.writeRandomType(store.bundleDir(key), type, sorted, random);
        return new PartTypeEntry(type, written.files(), Map.of("compressedSizeBytes", 1L));
    }
}
