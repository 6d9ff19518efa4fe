package dev.handoff.datanode;

import com.google.protobuf.ByteString;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.PartTypeEntry;
import dev.handoff.protocol.grpc.FileChunk;
import dev.handoff.protocol.grpc.ProtoMapping;
import dev.handoff.protocol.grpc.SyncCommit;
import dev.handoff.protocol.grpc.SyncHeader;
import dev.handoff.protocol.grpc.SyncRequest;
import dev.handoff.testkit.PartFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

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

    /** Writes files of pseudo-random bytes ({@code type -> name -> size}); returns the manifest. */
    static List<PartTypeEntry> write(Path sourceDir, Map<String, Map<String, Long>> layout, long seed) throws IOException {
        return PartFiles.writeRandom(sourceDir, layout, new Random(seed));
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
        return List.of(new PartTypeEntry(type, List.of(PartFiles.entry(name, data)), Map.of()));
    }
}
