package dev.handoff.banyandb;

import dev.handoff.protocol.PartIds;
import dev.handoff.protocol.common.Durable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Writes synthetic trace parts in a BanyanDB liaison's layout, for the quickstart, tests and benchmarks: a core
 * part {@code <root>/<group>/shard-<N>/<id>/} with {@code meta.bin} (a zstd frame header and random bytes),
 * {@code primary.bin}, {@code spans.bin}, tag files, {@code traceID.filter}, {@code tag.type}, {@code smeta.bin}
 * (never sent) and {@code metadata.json}, plus one sidx part per rule under {@code sidx/<rule>/<id>/} with its
 * {@code manifest.json}. The second rule's manifest has no minTimestamp, only a segmentID (BanyanDB's fallback).
 * File contents are random, not decodable BanyanDB data. Stateless.
 */
public final class SampleParts {
    /** Nanoseconds of 2025-08-21T00:00Z, a segment start. */
    public static final long SEGMENT_START = 1_755_734_400_000_000_000L;
    private static final long DAY_NS = 86_400_000_000_000L;

    private SampleParts() {
    }

    /**
     * Writes one bundle and returns the core part's directory.
     *
     * @param spansBytes size of {@code spans.bin} (above two chunks makes it span three)
     */
    public static Path write(Path root, String group, int shard, long partId, List<String> rules, int spansBytes, long seed)
        throws IOException {
        Random random = new Random(seed);
        Path core = coreDir(root, group, shard, partId);
        Path shardDir = core.getParent();
        String id = core.getFileName().toString();
        file(core, "meta.bin", zstdLike(random, 310));
        file(core, "primary.bin", bytes(random, 2104));
        file(core, "spans.bin", bytes(random, spansBytes));
        file(core, "service_id.t", bytes(random, 4000));
        file(core, "service_id.tm", bytes(random, 96));
        file(core, "http.method.t", new byte[0]);
        file(core, "http.method.tm", bytes(random, 40));
        file(core, "traceID.filter", bytes(random, 1024));
        file(core, "tag.type", bytes(random, 24));
        file(core, "smeta.bin", bytes(random, 200));
        long min = SEGMENT_START + 31_200_123_456_789L + (partId % 1000) * 1_000_000L;
        file(core, WireNames.METADATA_JSON, ("{\"compressedSizeBytes\":" + (48213 + partId) + ",\"uncompressedSpanSizeBytes\":187392"
            + ",\"totalCount\":1200,\"blocksCount\":37,\"minTimestamp\":" + min + ",\"maxTimestamp\":" + (min + 59_864_197_532L)
            + "}").getBytes(StandardCharsets.UTF_8));
        for (int r = 0; r < rules.size(); r++) {
            String rule = rules.get(r);
            Path sidx = shardDir.resolve("sidx").resolve(rule).resolve(id);
            Durable.createDirectories(sidx);
            file(sidx, "meta.bin", zstdLike(random, 120));
            file(sidx, "primary.bin", bytes(random, 800));
            file(sidx, "data.bin", bytes(random, 5120));
            file(sidx, "keys.bin", bytes(random, 640));
            file(sidx, rule + ".td", bytes(random, 300));
            file(sidx, rule + ".tm", bytes(random, 60));
            file(sidx, rule + ".tf", bytes(random, 128));
            String times = r % 2 == 0 ? "\"minTimestamp\":" + SEGMENT_START + ",\"maxTimestamp\":" + (SEGMENT_START + DAY_NS) + "," : "";
            file(sidx, WireNames.MANIFEST_JSON, ("{" + times + "\"compressedSizeBytes\":5120,\"uncompressedSizeBytes\":20480"
                + ",\"totalCount\":1200,\"blocksCount\":3,\"minKey\":12,\"maxKey\":98000,\"id\":" + partId
                + ",\"segmentID\":" + SEGMENT_START + "}").getBytes(StandardCharsets.UTF_8));
        }
        return core;
    }

    /**
     * Writes one small bundle, the size of the benchmarks' drain-small bundle, and returns the core part's
     * directory: core {@code meta.bin} (512 B), {@code primary.bin} (2 KiB), {@code spans.bin} (1 KiB) and its
     * {@code metadata.json}; one sidx part of {@code rule} with {@code data.bin} (512 B) and its {@code manifest.json}.
     * 4 files, 4 KiB, sent in one session with the two JSON files as PartInfo fields.
     */
    public static Path writeSmall(Path root, String group, int shard, long partId, String rule, long seed) throws IOException {
        Random random = new Random(seed);
        Path core = coreDir(root, group, shard, partId);
        file(core, "meta.bin", zstdLike(random, 512));
        file(core, "primary.bin", bytes(random, 2048));
        file(core, "spans.bin", bytes(random, 1024));
        long min = SEGMENT_START + (partId % 1000) * 1_000_000L;
        file(core, WireNames.METADATA_JSON, ("{\"compressedSizeBytes\":4096,\"uncompressedSpanSizeBytes\":8192"
            + ",\"totalCount\":10,\"blocksCount\":1,\"minTimestamp\":" + min + ",\"maxTimestamp\":" + (min + 1_000_000L)
            + "}").getBytes(StandardCharsets.UTF_8));
        Path sidx = core.getParent().resolve("sidx").resolve(rule).resolve(core.getFileName());
        Durable.createDirectories(sidx);
        file(sidx, "data.bin", bytes(random, 512));
        file(sidx, WireNames.MANIFEST_JSON, ("{\"minTimestamp\":" + SEGMENT_START + ",\"maxTimestamp\":" + (SEGMENT_START + DAY_NS)
            + ",\"compressedSizeBytes\":512,\"uncompressedSizeBytes\":1024,\"totalCount\":10,\"blocksCount\":1"
            + ",\"minKey\":1,\"maxKey\":10,\"id\":" + partId + ",\"segmentID\":" + SEGMENT_START + "}")
            .getBytes(StandardCharsets.UTF_8));
        return core;
    }

    /** Creates {@code <root>/<group>/shard-<N>/<partIdHex>/}, a core part's directory. */
    private static Path coreDir(Path root, String group, int shard, long partId) throws IOException {
        Path core = root.resolve(group).resolve("shard-" + shard).resolve(PartIds.toHex(partId));
        Durable.createDirectories(core);
        return core;
    }

    /** The sidx part directories of a core part written by {@link #write}. */
    public static List<Path> sidxDirs(Path core, List<String> rules) {
        List<Path> dirs = new ArrayList<>();
        rules.forEach(r -> dirs.add(core.getParent().resolve("sidx").resolve(r).resolve(core.getFileName())));
        return dirs;
    }

    private static byte[] zstdLike(Random random, int n) {
        byte[] b = bytes(random, n);
        b[0] = 0x28;
        b[1] = (byte) 0xb5;
        b[2] = 0x2f;
        b[3] = (byte) 0xfd;
        return b;
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static void file(Path dir, String name, byte[] content) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, content);
        Durable.fsync(f);
    }
}
