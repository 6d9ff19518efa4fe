package dev.handoff.datanode;

import com.google.protobuf.ByteString;
import dev.handoff.protocol.FileEntry;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.PartTypeEntry;
import dev.handoff.protocol.grpc.FileChunk;
import dev.handoff.protocol.grpc.ProtoMapping;
import dev.handoff.protocol.grpc.SyncCommit;
import dev.handoff.protocol.grpc.SyncHeader;
import dev.handoff.protocol.grpc.SyncRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32C;

/** Test bundles: source files on disk with their manifest, and hand-made PartSync messages. */
final class Bundles {
    private Bundles() {
    }

    /** A bundle of {@code core} (two files) and two {@code sidx_*} types (one file each, one of them empty). */
    static List<PartTypeEntry> writeStandard(Path sourceDir, long seed) throws IOException {
        Map<String, Map<String, Long>> layout = new LinkedHashMap<>();
        layout.put("core", new LinkedHashMap<>(Map.of("data.bin", 3L * 1024 * 1024 + 17)));
        layout.get("core").put("meta.json", 300L);
        layout.put("sidx_trace", Map.of("index.bin", 70_000L));
        layout.put("sidx_tags", Map.of("empty.bin", 0L));
        return write(sourceDir, layout, seed);
    }

    /** Writes files of pseudo-random bytes ({@code type -> name -> size}) in 64 KiB blocks; returns the manifest. */
    static List<PartTypeEntry> write(Path sourceDir, Map<String, Map<String, Long>> layout, long seed) throws IOException {
        Random random = new Random(seed);
        byte[] block = new byte[64 * 1024];
        List<PartTypeEntry> types = new ArrayList<>();
        for (Map.Entry<String, Map<String, Long>> type : layout.entrySet()) {
            Path dir = Files.createDirectories(sourceDir.resolve(type.getKey()));
            List<FileEntry> files = new ArrayList<>();
            for (Map.Entry<String, Long> file : type.getValue().entrySet()) {
                CRC32C crc = new CRC32C();
                try (OutputStream out = Files.newOutputStream(dir.resolve(file.getKey()))) {
                    long left = file.getValue();
                    while (left > 0) {
                        random.nextBytes(block);
                        int n = (int) Math.min(block.length, left);
                        out.write(block, 0, n);
                        crc.update(block, 0, n);
                        left -= n;
                    }
                }
                files.add(new FileEntry(file.getKey(), file.getValue(), crc.getValue()));
            }
            types.add(new PartTypeEntry(type.getKey(), files, Map.of()));
        }
        return types;
    }

    static SyncRequest header(PartKey key, List<PartTypeEntry> types) {
        long total = types.stream().mapToLong(PartTypeEntry::bytes).sum();
        return SyncRequest.newBuilder().setHeader(SyncHeader.newBuilder().setPart(ProtoMapping.toProto(key))
            .addAllTypes(ProtoMapping.toProto(types)).setTotalBytes(total).setSender("test")).build();
    }

    static SyncRequest chunk(String type, String name, long offset, byte[] data, boolean last) {
        return SyncRequest.newBuilder().setChunk(FileChunk.newBuilder().setType(type).setName(name).setOffset(offset)
            .setData(ByteString.copyFrom(data)).setLast(last)).build();
    }

    static SyncRequest commit() {
        return SyncRequest.newBuilder().setCommit(SyncCommit.getDefaultInstance()).build();
    }

    /** One type with one small file holding {@code data}: for hand-made streams. */
    static List<PartTypeEntry> oneFile(String type, String name, byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        return List.of(new PartTypeEntry(type, List.of(new FileEntry(name, data.length, crc.getValue())), Map.of()));
    }
}
