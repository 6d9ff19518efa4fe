package dev.handoff.banyandb;

import dev.handoff.banyandb.grpc.cluster.SyncMetadata;
import dev.handoff.banyandb.grpc.cluster.SyncPartRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** What one session at the conformance receiver holds, from a metadata chunk to the completion. Not thread-safe. */
final class ReceiverSession {
    final SyncMetadata metadata;
    final String id;
    final long startedAt;
    final TreeMap<Integer, SyncPartRequest> buffered = new TreeMap<>();
    /** Per PartInfo position: {declared, received} bytes. */
    final List<long[]> progress = new ArrayList<>();
    final BanyanNode.Fault fault;
    int expected;
    long lastChunkAt;
    long totalReceived;
    int chunksReceived;
    /** The part id being received, or null between parts. */
    ReceivedPart part;

    ReceiverSession(SyncMetadata metadata, String id, long now, BanyanNode.Fault fault) {
        this.metadata = metadata;
        this.id = id;
        this.startedAt = now;
        this.lastChunkAt = now;
        this.fault = fault;
    }

    /** The {declared, received} counters of the {@code i}-th PartInfo of a chunk, made on first use. */
    long[] progress(int i) {
        while (progress.size() <= i) {
            progress.add(new long[2]);
        }
        return progress.get(i);
    }

    /** True when every part received as many bytes as its files declared. */
    boolean complete() {
        return progress.stream().allMatch(p -> p[0] == p[1]);
    }
}
