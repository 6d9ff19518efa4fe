package dev.handoff.producer;

import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.common.GrpcChannels;
import dev.handoff.protocol.grpc.FetchRequest;
import dev.handoff.protocol.grpc.FileChunk;
import dev.handoff.protocol.grpc.PartStoreGrpc;
import dev.handoff.protocol.grpc.ProtoMapping;
import io.grpc.ManagedChannel;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/** Test client of PartStore.Fetch: streams a bundle keeping only a running size and CRC32C per file. */
final class FetchClient {
    /** What arrived for one file. */
    record Received(long size, long crc32c, int chunks) {
    }

    private FetchClient() {
    }

    /** Files in arrival order, keyed {@code type/name}; fails when offsets are not contiguous or a file has no last chunk. */
    static Map<String, Received> fetch(String address, PartKey part, int chunkSize) {
        ManagedChannel channel = GrpcChannels.open(address, null);
        try {
            return fetch(channel, ProtoMapping.toProto(part), chunkSize);
        } finally {
            GrpcChannels.close(channel);
        }
    }

    static Map<String, Received> fetch(ManagedChannel channel, dev.handoff.protocol.grpc.PartKey part, int chunkSize) {
        Iterator<FileChunk> chunks = PartStoreGrpc.newBlockingStub(channel)
            .fetch(FetchRequest.newBuilder().setPart(part).setChunkSize(chunkSize).build());
        Map<String, Received> out = new LinkedHashMap<>();
        String current = null;
        CRC32C crc = new CRC32C();
        long size = 0;
        int count = 0;
        while (chunks.hasNext()) {
            FileChunk c = chunks.next();
            String key = c.getType() + "/" + c.getName();
            if (!key.equals(current)) {
                if (current != null) {
                    throw new AssertionError("file " + current + " ended without a last chunk");
                }
                current = key;
                crc = new CRC32C();
                size = 0;
                count = 0;
            }
            if (c.getOffset() != size) {
                throw new AssertionError(key + ": chunk at offset " + c.getOffset() + ", expected " + size);
            }
            crc.update(c.getData().asReadOnlyByteBuffer());
            size += c.getData().size();
            count++;
            if (c.getLast()) {
                out.put(key, new Received(size, crc.getValue(), count));
                current = null;
            }
        }
        return out;
    }
}
