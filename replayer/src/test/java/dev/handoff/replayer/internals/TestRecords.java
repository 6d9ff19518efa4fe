package dev.handoff.replayer.internals;

import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.FileEntry;
import dev.handoff.protocol.PartTypeEntry;
import dev.handoff.protocol.common.Checksums;
import java.util.List;
import java.util.Map;

/** Enqueue records for unit tests. */
final class TestRecords {
    static final String NODE = "datanode-1:17912";

    private TestRecords() {
    }

    static EnqueueRecord record(long partId, long enqueuedAt, Long expiresAt) {
        return record(NODE, partId, enqueuedAt, expiresAt);
    }

    /** As {@link #record(long, long, Long)}, for {@code node}. */
    static EnqueueRecord record(String node, long partId, long enqueuedAt, Long expiresAt) {
        byte[] data = ("data of " + partId).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        PartTypeEntry core = new PartTypeEntry("core", List.of(new FileEntry("data.bin", data.length, Checksums.crc32c(data))), Map.of());
        return new EnqueueRecord(node, List.of(node), "liaison-1", "liaison-1:9000", "group1", 3, partId, List.of(core),
            data.length, enqueuedAt, expiresAt);
    }
}
