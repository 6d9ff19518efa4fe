package dev.handoff.banyandb;

import dev.handoff.banyandb.grpc.cluster.PartInfo;
import dev.handoff.protocol.common.Durable;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One part type of one part being received, written the way BanyanDB's trace handler does: the {@code *.bin}
 * files created at once, tag files on first touch, {@code traceID.filter} and {@code tag.type} kept in memory
 * until the commit, the metadata JSON rebuilt from the PartInfo. Files go to a dot-named staging directory beside
 * the final one and are renamed into place at the commit. Confined to the stream's thread.
 */
final class PartWriter implements AutoCloseable {
    private static final byte[] ZSTD_MAGIC = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd};

    private final PartInfo info;
    private final Path staging;
    private final Path target;
    private final Map<String, FileChannel> open = new LinkedHashMap<>();
    private final Map<String, ByteArrayOutputStream> buffered = new LinkedHashMap<>();

    PartWriter(PartInfo info, Path target) throws IOException {
        this.info = info.toBuilder().clearFiles().build();
        this.target = target;
        this.staging = target.resolveSibling("." + target.getFileName() + ".staging");
        Durable.createDirectories(staging.getParent());
        if (Files.exists(target) || Files.exists(staging)) {
            // BanyanDB's MkdirPanicIfExist: re-entering an (id, type) in one session is a panic (INTERNAL)
            throw new IllegalStateException("part directory " + target + " already exists");
        }
        Files.createDirectory(staging);
        for (String bin : WireNames.isCore(info.getPartType()) ? new String[] {"meta", "primary", "spans"}
            : new String[] {"meta", "primary", "data", "keys"}) {
            channel(bin + ".bin");
        }
    }

    String type() {
        return info.getPartType();
    }

    PartInfo info() {
        return info;
    }

    /**
     * Appends a fragment to the file the wire name routes to.
     *
     * @throws UnknownFileException the name is not one BanyanDB's trace handler knows for this part type
     */
    void append(String wireName, ByteBuffer data) throws IOException, UnknownFileException {
        String disk = WireNames.toDisk(info.getPartType(), wireName);
        if (disk == null) {
            throw new UnknownFileException(WireNames.isCore(info.getPartType()) ? "unknown file type: " + wireName
                : "unknown sidx file type: " + wireName + " for sidx: " + info.getPartType());
        }
        if (disk.equals("traceID.filter") || disk.equals("tag.type")) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            buffered.computeIfAbsent(disk, d -> new ByteArrayOutputStream()).writeBytes(bytes);
            return;
        }
        if (!disk.endsWith(".bin")) {
            // a tag's files are all created on first touch of any of them
            String tag = disk.substring(0, disk.lastIndexOf('.'));
            for (String ext : WireNames.isCore(info.getPartType()) ? new String[] {".t", ".tm"} : new String[] {".td", ".tm", ".tf"}) {
                channel(tag + ext);
            }
        }
        FileChannel ch = channel(disk);
        while (data.hasRemaining()) {
            ch.write(data);
        }
    }

    /**
     * Checks that a core part opens as BanyanDB's {@code mustOpenFilePart} needs (meta.bin a zstd frame,
     * min timestamp not above max), writes the buffered files and the metadata JSON, and makes all durable.
     */
    void seal() throws IOException {
        for (Map.Entry<String, ByteArrayOutputStream> b : buffered.entrySet()) {
            if (b.getValue().size() > 0) {
                Files.write(staging.resolve(b.getKey()), b.getValue().toByteArray());
            }
        }
        boolean core = WireNames.isCore(info.getPartType());
        String json = core ? PartMeta.metadataJson(info) : PartMeta.manifestJson(info);
        Files.write(staging.resolve(WireNames.metadataFile(info.getPartType())), json.getBytes(StandardCharsets.UTF_8));
        if (core) {
            if (info.getMinTimestamp() > info.getMaxTimestamp()) {
                throw new IllegalStateException("part " + info.getId() + ": minTimestamp " + info.getMinTimestamp()
                    + " > maxTimestamp " + info.getMaxTimestamp());
            }
            byte[] head = new byte[4];
            FileChannel meta = open.get("meta.bin");
            if (meta.size() < 4 || meta.read(ByteBuffer.wrap(head), 0) < 4 || !java.util.Arrays.equals(head, ZSTD_MAGIC)) {
                throw new IllegalStateException("part " + info.getId() + ": meta.bin is not a zstd frame");
            }
        }
        for (FileChannel ch : open.values()) {
            ch.force(true);
            ch.close();
        }
        open.clear();
        try (Stream<Path> files = Files.list(staging)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Durable.fsync(f);
            }
        }
        Durable.fsyncDirectory(staging);
    }

    /** Renames the sealed part into place. */
    void publish() throws IOException {
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        Durable.fsyncDirectory(target.getParent());
    }

    /** Discards what was written (a part not committed). */
    @Override
    public void close() {
        for (FileChannel ch : open.values()) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // the directory is deleted next
            }
        }
        open.clear();
        if (Files.exists(staging)) {
            try (Stream<Path> paths = Files.walk(staging)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new IllegalStateException("cannot remove " + staging, e);
            }
        }
    }

    private FileChannel channel(String name) throws IOException {
        FileChannel ch = open.get(name);
        if (ch == null) {
            ch = FileChannel.open(staging.resolve(name), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.READ);
            open.put(name, ch);
        }
        return ch;
    }

    /** A wire name the trace handler does not route: the stream ends with this text. */
    static final class UnknownFileException extends Exception {
        private static final long serialVersionUID = 1L;

        UnknownFileException(String message) {
            super(message);
        }
    }
}
