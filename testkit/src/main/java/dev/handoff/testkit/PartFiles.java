package dev.handoff.testkit;

import dev.handoff.protocol.FileEntry;
import dev.handoff.protocol.PartTypeEntry;
import dev.handoff.protocol.common.Checksums;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * Part directories for tests, laid out as a liaison has them ({@code <partDir>/<type>/<file>}), with the manifest
 * entries (size, CRC32C) handoff checks. Random content comes from the caller's seeded {@link Random}, so a test
 * can write the same part twice; it is written in blocks, so a large file costs constant memory.
 */
public final class PartFiles {
    private static final int BLOCK = 64 * 1024;

    private PartFiles() {
    }

    /** Writes {@code size} pseudo-random bytes to {@code file} (parents created) and returns its entry. */
    public static FileEntry writeRandom(Path file, long size, Random random) throws IOException {
        Files.createDirectories(file.getParent());
        CRC32C crc = new CRC32C();
        byte[] block = new byte[(int) Math.min(size, BLOCK)];
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

    /** One part type of random files ({@code name -> size}), written and listed in the map's order; no meta. */
    public static PartTypeEntry writeRandomType(Path partDir, String type, Map<String, Long> sizes, Random random)
        throws IOException {
        Path dir = Files.createDirectories(partDir.resolve(type));
        List<FileEntry> files = new ArrayList<>();
        for (Map.Entry<String, Long> f : sizes.entrySet()) {
            files.add(writeRandom(dir.resolve(f.getKey()), f.getValue(), random));
        }
        return new PartTypeEntry(type, files, Map.of());
    }

    /** A whole part of random files ({@code type -> name -> size}), types in the map's order. */
    public static List<PartTypeEntry> writeRandom(Path partDir, Map<String, Map<String, Long>> layout, Random random)
        throws IOException {
        List<PartTypeEntry> types = new ArrayList<>();
        for (Map.Entry<String, Map<String, Long>> t : layout.entrySet()) {
            types.add(writeRandomType(partDir, t.getKey(), t.getValue(), random));
        }
        return types;
    }

    /** One part type holding exactly {@code files} ({@code name -> content}), written and listed in name order. */
    public static PartTypeEntry writeType(Path partDir, String type, Map<String, byte[]> files) throws IOException {
        writeFiles(partDir.resolve(type), files);
        List<FileEntry> entries = new ArrayList<>();
        new TreeMap<>(files).forEach((name, data) -> entries.add(entry(name, data)));
        return new PartTypeEntry(type, entries, Map.of());
    }

    /**
     * Writes {@code files} ({@code name -> content}) into {@code dir} (created), without making manifest entries:
     * for the hostile tests, whose names handoff must refuse.
     */
    public static Path writeFiles(Path dir, Map<String, byte[]> files) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, byte[]> f : new TreeMap<>(files).entrySet()) {
            Files.write(dir.resolve(f.getKey()), f.getValue());
        }
        return dir;
    }

    /** The manifest entry of a file holding {@code data}, without writing it. */
    public static FileEntry entry(String name, byte[] data) {
        return new FileEntry(name, data.length, Checksums.crc32c(data));
    }
}
