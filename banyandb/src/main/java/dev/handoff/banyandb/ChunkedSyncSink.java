package dev.handoff.banyandb;

import dev.handoff.banyandb.grpc.cluster.PartInfo;
import dev.handoff.banyandb.grpc.cluster.SyncCompletion;
import dev.handoff.banyandb.grpc.cluster.SyncMetadata;
import dev.handoff.banyandb.grpc.cluster.SyncPartRequest;
import dev.handoff.banyandb.grpc.cluster.SyncPartResponse;
import dev.handoff.banyandb.grpc.cluster.SyncStatus;
import dev.handoff.banyandb.grpc.cluster.VersionInfo;
import dev.handoff.protocol.common.GrpcChannels;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;

/**
 * Delivers bundles to BanyanDB data nodes over {@code banyandb.cluster.v1.ChunkedSyncService/SyncPart}: one stream
 * and one session per bundle (the core part and every sidx part of one part id, so the node never sees a sidx
 * part without its core), chunks sent stop-and-wait, then a separate completion message; applied only on
 * {@code SYNC_COMPLETE} with {@code success}. Any other answer abandons the session (the node discards the part
 * in progress) so that the whole bundle is retried: a chunk is never resent, because BanyanDB counts a chunk it
 * refused as received and would drop the resend as a duplicate. Channels are cached per node. Thread-safe; a
 * {@link Session} is used by one thread.
 */
public final class ChunkedSyncSink implements AutoCloseable {
    /** The topic of trace part sync, checked by the node. */
    public static final String TOPIC = "v1:trace-part-sync";

    private final BanyanSinkSettings settings;
    private final Clock clock;
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

    public ChunkedSyncSink(BanyanSinkSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * One part of a bundle: its {@code part_type} ({@code core} or the sidx rule name) and its metadata (the object
     * of its {@code metadata.json} or {@code manifest.json}).
     */
    public record Part(String type, Map<String, Object> meta) {
    }

    /** What one session delivers: parts in the order their files will be written. */
    public record Bundle(String node, String group, int shard, long partId, List<Part> parts) {
        public Bundle {
            parts = List.copyOf(parts);
        }
    }

    /**
     * Opens a session for the bundle; nothing is sent before the first chunk is full or {@link Session#complete}.
     *
     * @throws BanyanSyncException POISON when a part's metadata cannot make a valid PartInfo
     */
    public Session open(Bundle bundle) throws BanyanSyncException {
        List<PartInfo> templates = new ArrayList<>();
        for (Part p : bundle.parts()) {
            templates.add(PartMeta.toPartInfo(bundle.partId(), p.type(), p.meta()));
        }
        return new Session(bundle, templates);
    }

    /** Lowercase, unpadded hex of CRC32-IEEE, the form BanyanDB compares as a string. */
    public static String checksum(ByteBuffer data) {
        CRC32 crc = new CRC32();
        crc.update(data.duplicate());
        return Long.toHexString(crc.getValue());
    }

    @Override
    public void close() {
        channels.values().forEach(GrpcChannels::close);
        channels.clear();
    }

    private ManagedChannel channel(String node) {
        return channels.computeIfAbsent(node, n -> GrpcChannels.open(n, settings.tls()));
    }

    private void reset(String node) {
        ManagedChannel c = channels.remove(node);
        if (c != null) {
            GrpcChannels.close(c);
        }
    }

    /** One bundle's session. Confined to one thread. */
    public final class Session implements AutoCloseable {
        private final Bundle bundle;
        private final List<String> types = new ArrayList<>();
        private final ChunkPacker packer;
        private final VersionInfo version = settings.versions().toProto();
        private final String sessionId = "sync-" + (clock.millis() * 1_000_000L + System.nanoTime() % 1_000_000L);
        private StopAndWaitStream stream;
        private int chunks;
        private long bytes;
        private boolean done;

        private Session(Bundle bundle, List<PartInfo> templates) {
            this.bundle = bundle;
            bundle.parts().forEach(p -> types.add(p.type()));
            this.packer = new ChunkPacker(settings.chunkSize(), templates, this::sendChunk);
        }

        /**
         * Writes a fragment of on-disk file {@code fileName} of part {@code type}. Files the node never takes
         * (metadata JSON, {@code smeta.bin}, dot-files) and empty fragments are left out.
         */
        public void write(String type, String fileName, ByteBuffer data) throws BanyanSyncException, InterruptedException {
            int part = types.indexOf(type);
            if (part < 0) {
                throw new IllegalArgumentException("part type " + type + " is not in the bundle " + types);
            }
            String wire = WireNames.toWire(type, fileName);
            if (wire != null && data.hasRemaining()) {
                packer.write(part, wire, data);
            }
        }

        /** Sends the last chunk and the completion; returns when the node answered SYNC_COMPLETE with success. */
        public void complete() throws BanyanSyncException, InterruptedException {
            packer.finish();
            if (chunks == 0) {
                throw new BanyanSyncException(BanyanSyncException.Kind.POISON, "the bundle has no file a BanyanDB node takes");
            }
            // BanyanDB's sender skips an index before the completion (data 0..N-1, completion N+1)
            SyncPartRequest completion = SyncPartRequest.newBuilder().setSessionId(sessionId).setChunkIndex(chunks + 1)
                .setCompletion(SyncCompletion.newBuilder().setTotalBytesSent(bytes).setTotalPartsSent(types.size()).setTotalChunks(chunks))
                .setVersionInfo(version).build();
            SyncPartResponse answer = stream.exchange(completion);
            if (!answer.hasSyncResult()) {
                refuse(answer);
            }
            done = true;
            stream.halfClose();
            if (answer.getStatus() != SyncStatus.SYNC_STATUS_SYNC_COMPLETE || !answer.getSyncResult().getSuccess()) {
                throw new BanyanSyncException(BanyanSyncException.Kind.RETRY, "the node answered the completion with "
                    + answer.getStatus() + " success=" + answer.getSyncResult().getSuccess() + " " + answer.getError());
            }
        }

        /** Abandons the session: the node discards the part in progress. */
        public void cancel(String reason) {
            done = true;
            if (stream != null) {
                stream.cancel(reason);
            }
        }

        @Override
        public void close() {
            if (!done) {
                cancel("session closed");
            }
        }

        private void sendChunk(ByteBuffer data, List<PartInfo> parts) throws BanyanSyncException, InterruptedException {
            SyncPartRequest.Builder chunk = SyncPartRequest.newBuilder().setSessionId(sessionId).setChunkIndex(chunks)
                .setChunkChecksum(checksum(data)).setChunkData(ByteString.copyFrom(data.duplicate())).addAllPartsInfo(parts)
                .setVersionInfo(version);
            if (chunks == 0) {
                stream = new StopAndWaitStream(channel(bundle.node()), settings.timeout(), () -> reset(bundle.node()));
                chunk.setMetadata(SyncMetadata.newBuilder().setGroup(bundle.group()).setShardId(bundle.shard()).setTopic(TOPIC)
                    .setTimestamp(clock.millis()).setTotalParts(types.size()).setSenderNode(settings.sender())
                    .setSenderRole("handoff-replayer"));
            }
            SyncPartResponse answer;
            try {
                answer = stream.exchange(chunk.build());
            } catch (InterruptedException e) {
                stream.cancel("replayer stopping");
                throw e;
            }
            if (answer.getStatus() != SyncStatus.SYNC_STATUS_CHUNK_RECEIVED) {
                refuse(answer);
            }
            chunks++;
            bytes += data.remaining();
        }

        /** Any answer but CHUNK_RECEIVED ends the session; what it means for the bundle depends on the status. */
        private void refuse(SyncPartResponse answer) throws BanyanSyncException {
            stream.cancel("refused: " + answer.getStatus());
            done = true;
            String what = "chunk " + answer.getChunkIndex() + ": " + answer.getStatus() + " " + answer.getError();
            throw switch (answer.getStatus()) {
                case SYNC_STATUS_SERVER_BUSY -> new BanyanSyncException(BanyanSyncException.Kind.BUSY, what);
                case SYNC_STATUS_VERSION_UNSUPPORTED, SYNC_STATUS_FORMAT_VERSION_MISMATCH -> new BanyanSyncException(
                    BanyanSyncException.Kind.INCOMPATIBLE, "the node refused our versions (" + answer.getStatus() + "): sent " + settings.versions()
                        + "; node " + nodeVersions(answer) + " (" + answer.getError() + ")");
                default -> new BanyanSyncException(BanyanSyncException.Kind.RETRY, what + " (the whole bundle is sent again)");
            };
        }

        private String nodeVersions(SyncPartResponse answer) {
            var v = answer.getVersionCompatibility();
            return "api " + v.getServerApiVersion() + " (supported " + String.join(",", v.getSupportedApiVersionsList())
                + "), file format " + v.getServerFileFormatVersion() + " (supported "
                + String.join(",", v.getSupportedFileFormatVersionsList()) + ")";
        }
    }
}
