package dev.handoff.benchmarks;

import dev.handoff.producer.Bundle;
import dev.handoff.protocol.FileEntry;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.PartTypeEntry;
import dev.handoff.protocol.common.Checksums;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes parts on disk the way a BanyanDB liaison lays them out (a {@code core} part and secondary-index
 * parts, each a flat directory of files) with random content. Deterministic per seed. Confined to one thread.
 */
final class Parts {
    private final Path root;
    private final SplittableRandom random;

    /** A part written to disk: what to enqueue and what the data node must end up with. */
    record Part(PartKey key, Bundle bundle, List<PartTypeEntry> types, long bytes) {
    }

    Parts(Path root, long seed) {
        this.root = root;
        this.random = new SplittableRandom(seed);
    }

    /** Four files, 4 KiB in all: core (primary 2 KiB, meta 512 B, timestamps 1 KiB) and sidx_trace_id (512 B). */
    Part small(PartKey key) throws IOException {
        Map<String, Map<String, Long>> layout = new LinkedHashMap<>();
        layout.put("core", sizes("primary.bin", 2048, "meta.bin", 512, "timestamps.bin", 1024));
        layout.put("sidx_trace_id", sizes("data.bin", 512));
        return write(key, layout);
    }

    /** A core part of ten files (1-64 KiB each): what enqueue-latency measures. */
    Part tenFiles(PartKey key) throws IOException {
        Map<String, Long> files = new LinkedHashMap<>();
        String[] names = {"primary.bin", "meta.bin", "timestamps.bin", "tag.service_id.tf", "tag.trace_id.tf",
            "tag.endpoint.tf", "tag.status.tf", "field.latency.fv", "field.count.fv", "metadata.json"};
        for (String name : names) {
            files.put(name, 1024L + random.nextLong(63 * 1024));
        }
        return write(key, Map.of("core", files));
    }

    /** One core file of {@code bytes} bytes (drain-large, disk). */
    Part single(PartKey key, String type, long bytes) throws IOException {
        return write(key, Map.of(type, Map.of("data.bin", bytes)));
    }

    Part write(PartKey key, Map<String, Map<String, Long>> layout) throws IOException {
        Path dir = key.directoryUnder(root);
        List<PartTypeEntry> types = new ArrayList<>();
        List<Bundle.Type> bundleTypes = new ArrayList<>();
        long total = 0;
        for (Map.Entry<String, Map<String, Long>> t : layout.entrySet()) {
            Path typeDir = Files.createDirectories(dir.resolve(t.getKey()));
            List<FileEntry> files = new ArrayList<>();
            for (Map.Entry<String, Long> f : t.getValue().entrySet()) {
                Path file = typeDir.resolve(f.getKey());
                writeRandom(file, f.getValue());
                files.add(new FileEntry(f.getKey(), f.getValue(), Checksums.crc32c(file)));
                total += f.getValue();
            }
            files.sort((a, b) -> a.name().compareTo(b.name()));
            Map<String, Object> meta = Map.of("compressedSizeBytes", total);
            types.add(new PartTypeEntry(t.getKey(), files, meta));
            bundleTypes.add(new Bundle.Type(t.getKey(), typeDir, meta));
        }
        return new Part(key, new Bundle(key, bundleTypes), types, total);
    }

    private static Map<String, Long> sizes(Object... pairs) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.put((String) pairs[i], ((Number) pairs[i + 1]).longValue());
        }
        return out;
    }

    /** Random content; large files repeat a 4 MiB random block with a counter, so writing 2 GiB stays fast. */
    private void writeRandom(Path file, long size) throws IOException {
        byte[] block = new byte[(int) Math.min(size, 4L << 20)];
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) random.nextInt(256);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(block);
            long left = size;
            long counter = 0;
            while (left > 0) {
                buf.clear();
                if (block.length >= Long.BYTES) {
                    buf.putLong(0, counter++ ^ random.nextLong());
                }
                buf.limit((int) Math.min(left, block.length));
                while (buf.hasRemaining()) {
                    left -= ch.write(buf);
                }
            }
        }
    }
}
