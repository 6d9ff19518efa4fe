package dev.handoff.e2e.faults;

import dev.handoff.protocol.FileEntry;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.PartTypeEntry;
import dev.handoff.protocol.common.GrpcChannels;
import dev.handoff.protocol.grpc.FetchRequest;
import dev.handoff.protocol.grpc.FileChunk;
import dev.handoff.protocol.grpc.PartStoreGrpc;
import dev.handoff.protocol.grpc.ProtoMapping;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * A PartStore.Fetch client that judges what it was served: the whole bundle (every file, sizes and CRC32C as
 * written), NOT_FOUND, a transport failure (the producer is not there), or anything else — a partial or wrong
 * bundle, which must never happen. Keeps only a running size and CRC per file. One instance per thread.
 */
final class FetchProbe implements AutoCloseable {
    enum Outcome { WHOLE, NOT_FOUND, UNREACHABLE, BAD }

    /** What one fetch gave; {@code detail} says why it is BAD. */
    record Answer(Outcome outcome, String detail) {
    }

    private final ManagedChannel channel;

    FetchProbe(String address) {
        this.channel = GrpcChannels.open(address, null);
    }

    Answer fetch(PartKey part, List<PartTypeEntry> expected) {
        Map<String, long[]> got = new LinkedHashMap<>();
        try {
            Iterator<FileChunk> chunks = PartStoreGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .fetch(FetchRequest.newBuilder().setPart(ProtoMapping.toProto(part)).setChunkSize(16 * 1024).build());
            CRC32C crc = new CRC32C();
            long size = 0;
            while (chunks.hasNext()) {
                FileChunk c = chunks.next();
                if (c.getOffset() != size) {
                    return new Answer(Outcome.BAD, c.getType() + "/" + c.getName() + " chunk at " + c.getOffset());
                }
                crc.update(c.getData().asReadOnlyByteBuffer());
                size += c.getData().size();
                if (c.getLast()) {
                    got.put(c.getType() + "/" + c.getName(), new long[] {size, crc.getValue()});
                    crc = new CRC32C();
                    size = 0;
                }
            }
        } catch (StatusRuntimeException e) {
            Status.Code code = e.getStatus().getCode();
            if (code == Status.Code.NOT_FOUND) {
                return new Answer(Outcome.NOT_FOUND, "");
            }
            if (code == Status.Code.UNAVAILABLE || code == Status.Code.CANCELLED) {
                return new Answer(Outcome.UNREACHABLE, code.toString());
            }
            return new Answer(Outcome.BAD, e.getStatus().toString());
        }
        Map<String, long[]> want = new LinkedHashMap<>();
        for (PartTypeEntry t : expected) {
            for (FileEntry f : t.files()) {
                want.put(t.type() + "/" + f.name(), new long[] {f.size(), f.crc32c()});
            }
        }
        boolean same = got.keySet().equals(want.keySet())
            && want.entrySet().stream().allMatch(e -> java.util.Arrays.equals(e.getValue(), got.get(e.getKey())));
        return same ? new Answer(Outcome.WHOLE, "") : new Answer(Outcome.BAD, "served " + got.keySet() + ", stored " + want.keySet());
    }

    @Override
    public void close() {
        GrpcChannels.close(channel);
    }
}
