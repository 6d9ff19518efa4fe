package dev.handoff.cli.sim;

import dev.handoff.producer.Bundle;
import dev.handoff.protocol.FileEntry;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.PartTypeEntry;
import dev.handoff.protocol.common.Checksums;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes parts the way a BanyanDB liaison lays them out: a {@code core} part ({@code primary.bin},
 * {@code meta.bin}, {@code metadata.json}, {@code timestamps.bin}, tag files) and secondary-index parts
 * ({@code sidx_trace_id}, {@code sidx_service}) with data, keys and manifest files. Sizes are mixed: most
 * parts are a few KiB to tens of KiB, every 25th has a primary file of 1-3 MiB. Deterministic per seed.
 * Confined to one thread.
 */
public final class PartFactory {
    private static final String[] GROUPS = {"sw_metric", "sw_trace", "sw_log"};

    private final Path root;
    private final String liaison;
    private final SplittableRandom random;
    private final long partIdBase;

    /** A part written to disk: what to enqueue and what every data node must end up with. */
    public record Part(PartKey key, Bundle bundle, List<PartTypeEntry> types, long bytes) {
    }

    public PartFactory(Path root, String liaison, long seed) {
        this.root = root;
        this.liaison = liaison;
        this.random = new SplittableRandom(seed);
        this.partIdBase = (seed & 0xFFFFL) << 40;
    }

    public Part create(int index, int shards) throws IOException {
        String group = GROUPS[index % GROUPS.length];
        PartKey key = new PartKey(liaison, group, index % shards, partIdBase + index);
        Path dir = key.directoryUnder(root);
        boolean large = index % 25 == 24;
        long minTs = 1_700_000_000_000L + index * 60_000L;
        List<PartTypeEntry> types = new ArrayList<>();
        List<Bundle.Type> bundleTypes = new ArrayList<>();

        Map<String, Long> coreFiles = new LinkedHashMap<>();
        coreFiles.put("primary.bin", large ? between(1 << 20, 3 << 20) : between(4 << 10, 64 << 10));
        coreFiles.put("meta.bin", between(64, 512));
        coreFiles.put("timestamps.bin", between(1 << 10, 8 << 10));
        coreFiles.put("tag.service_id.tf", between(512, 4 << 10));
        coreFiles.put("tag.trace_id.tf", between(512, 4 << 10));
        addType(dir, "core", coreFiles, minTs, types, bundleTypes, true);

        for (String sidx : new String[] {"sidx_trace_id", "sidx_service"}) {
            Map<String, Long> files = new LinkedHashMap<>();
            files.put("data.bin", between(1 << 10, 16 << 10));
            files.put("keys.bin", between(256, 4 << 10));
            files.put("meta.bin", between(64, 256));
            addType(dir, sidx, files, minTs, types, bundleTypes, false);
        }
        long bytes = types.stream().mapToLong(PartTypeEntry::bytes).sum();
        return new Part(key, new Bundle(key, bundleTypes), types, bytes);
    }

    private void addType(Path dir, String type, Map<String, Long> sizes, long minTs, List<PartTypeEntry> types,
                         List<Bundle.Type> bundleTypes, boolean withMetadataJson) throws IOException {
        Path typeDir = Files.createDirectories(dir.resolve(type));
        List<FileEntry> entries = new ArrayList<>();
        long total = 0;
        for (Map.Entry<String, Long> f : sizes.entrySet()) {
            Path file = typeDir.resolve(f.getKey());
            writeRandom(file, f.getValue());
            entries.add(new FileEntry(f.getKey(), f.getValue(), Checksums.crc32c(file)));
            total += f.getValue();
        }
        long maxTs = minTs + 59_999;
        if (withMetadataJson) {
            byte[] json = ("{\"totalCount\":" + (total / 16) + ",\"blocksCount\":" + (1 + total / 8192)
                + ",\"minTimestamp\":" + minTs + ",\"maxTimestamp\":" + maxTs + "}\n").getBytes(StandardCharsets.UTF_8);
            Path file = typeDir.resolve("metadata.json");
            Files.write(file, json);
            entries.add(new FileEntry("metadata.json", json.length, Checksums.crc32c(json)));
            total += json.length;
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("compressedSizeBytes", total);
        meta.put("uncompressedSizeBytes", total * 3);
        meta.put("minTimestamp", minTs);
        meta.put("maxTimestamp", maxTs);
        types.add(new PartTypeEntry(type, entries, meta));
        bundleTypes.add(new Bundle.Type(type, typeDir, meta));
    }

    private long between(long min, long max) {
        return min + random.nextLong(max - min + 1);
    }

    private void writeRandom(Path file, long size) throws IOException {
        byte[] buf = new byte[(int) Math.min(size, 64 * 1024)];
        try (OutputStream out = Files.newOutputStream(file)) {
            long left = size;
            while (left > 0) {
                int n = (int) Math.min(left, buf.length);
                for (int i = 0; i < n; i += 8) {
                    long v = random.nextLong();
                    for (int b = 0; b < 8 && i + b < n; b++) {
                        buf[i + b] = (byte) (v >>> (8 * b));
                    }
                }
                out.write(buf, 0, n);
                left -= n;
            }
        }
    }
}
