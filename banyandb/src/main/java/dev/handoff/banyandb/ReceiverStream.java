package dev.handoff.banyandb;

import dev.handoff.banyandb.grpc.cluster.FileInfo;
import dev.handoff.banyandb.grpc.cluster.PartInfo;
import dev.handoff.banyandb.grpc.cluster.PartResult;
import dev.handoff.banyandb.grpc.cluster.SyncMetadata;
import dev.handoff.banyandb.grpc.cluster.SyncPartRequest;
import dev.handoff.banyandb.grpc.cluster.SyncPartResponse;
import dev.handoff.banyandb.grpc.cluster.SyncResult;
import dev.handoff.banyandb.grpc.cluster.SyncStatus;
import dev.handoff.banyandb.grpc.cluster.VersionCompatibility;
import dev.handoff.banyandb.grpc.cluster.VersionInfo;
import dev.handoff.protocol.Names;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code SyncPart} stream at the conformance receiver: BanyanDB's receiver state machine, quirks included
 * (a chunk whose checksum mismatched or that was refused busy still advances the expected index; a session
 * starts on any chunk with metadata; completion ends the stream without any check). gRPC calls it serially.
 */
final class ReceiverStream implements StreamObserver<SyncPartRequest> {
    private static final Logger LOGGER = LoggerFactory.getLogger(ReceiverStream.class);
    static final int MAX_BUFFERED = 10;
    static final int MAX_GAP = 5;
    static final long BUFFER_TIMEOUT_MS = 5000;

    private final StreamObserver<SyncPartResponse> out;
    private final BanyanNode.Context node;
    private final Clock clock;
    private Session session;
    private boolean ended;

    /** What one session (from a metadata chunk to the completion) holds. */
    private static final class Session {
        final SyncMetadata metadata;
        final String id;
        final long startedAt;
        final TreeMap<Integer, SyncPartRequest> buffered = new TreeMap<>();
        final List<long[]> progress = new ArrayList<>();  // per PartInfo position: {declared, received}
        final BanyanNode.Fault fault;
        int expected;
        long lastChunkAt;
        long totalReceived;
        int chunksReceived;
        Part part;

        Session(SyncMetadata metadata, String id, long now, BanyanNode.Fault fault) {
            this.metadata = metadata;
            this.id = id;
            this.startedAt = now;
            this.lastChunkAt = now;
            this.fault = fault;
        }
    }

    /** The part id being received: its local id and one writer per part type seen. */
    private static final class Part {
        final long senderId;
        final long localId;
        final List<PartWriter> types = new ArrayList<>();
        PartWriter current;

        Part(long senderId, long localId) {
            this.senderId = senderId;
            this.localId = localId;
        }
    }

    /** A Go error of the handler: the stream ends with gRPC UNKNOWN and this text. */
    private static final class StreamError extends Exception {
        private static final long serialVersionUID = 1L;
        final Status status;

        StreamError(Status status, String text) {
            super(text);
            this.status = status.withDescription(text);
        }
    }

    ReceiverStream(StreamObserver<SyncPartResponse> out, BanyanNode.Context node, Clock clock) {
        this.out = out;
        this.node = node;
        this.clock = clock;
    }

    @Override
    public void onNext(SyncPartRequest req) {
        if (ended) {
            return;
        }
        try {
            handle(req);
        } catch (StreamError e) {
            fail(e.status);
        } catch (RuntimeException | java.io.IOException e) {
            // BanyanDB panics here (a directory that exists, a part that does not open): the recovery interceptor answers INTERNAL
            LOGGER.atWarn().addKeyValue("error", e.toString()).log("banyandb test receiver: panic");
            fail(Status.INTERNAL.withDescription("panic: " + e.getMessage()));
        }
    }

    private void handle(SyncPartRequest req) throws StreamError, java.io.IOException {
        if (req.hasMetadata()) {
            if (session != null) {
                finishPart();
            }
            session = new Session(req.getMetadata(), req.getSessionId(), clock.millis(), node.nextFault());
        }
        if (session == null) {
            reply(req, SyncStatus.SYNC_STATUS_SESSION_NOT_FOUND, "session " + req.getSessionId() + " not found", null);
            end();
            return;
        }
        if (req.hasCompletion()) {
            complete(req);
            return;
        }
        processChunk(req);
    }

    private void processChunk(SyncPartRequest req) throws StreamError, java.io.IOException {
        if (req.hasVersionInfo() && !node.versions().accepts(req.getVersionInfo())) {
            VersionInfo v = req.getVersionInfo();
            boolean api = node.versions().apiVersion().equals(v.getApiVersion());
            String reason = api ? "file format version " + v.getFileFormatVersion() + " is not compatible with "
                + node.versions().fileFormatVersion() : "API version " + v.getApiVersion() + " is not supported; server "
                + node.versions().apiVersion();
            SyncPartResponse.Builder r = response(req, api ? SyncStatus.SYNC_STATUS_FORMAT_VERSION_MISMATCH
                : SyncStatus.SYNC_STATUS_VERSION_UNSUPPORTED, reason);
            r.setVersionCompatibility(VersionCompatibility.newBuilder().setSupported(false)
                .setServerApiVersion(node.versions().apiVersion()).addSupportedApiVersions(node.versions().apiVersion())
                .setServerFileFormatVersion(node.versions().fileFormatVersion())
                .addAllSupportedFileFormatVersions(node.versions().compatibleFileFormatVersions()).setReason(reason));
            out.onNext(r.build());
            return;
        }
        long now = clock.millis();
        if (!session.buffered.isEmpty() && now - session.lastChunkAt > BUFFER_TIMEOUT_MS) {
            throw new StreamError(Status.UNKNOWN, "buffer timeout: missing chunks " + session.buffered.keySet()
                + " after 5s");
        }
        session.lastChunkAt = now;
        int index = req.getChunkIndex();
        if (index == session.expected) {
            processExpected(req);
            session.expected++;
            while (!session.buffered.isEmpty() && session.buffered.firstKey() == session.expected) {
                processExpected(session.buffered.pollFirstEntry().getValue());
                session.expected++;
            }
        } else if (index > session.expected) {
            int gap = index - session.expected;
            if (gap > MAX_GAP) {
                reply(req, SyncStatus.SYNC_STATUS_CHUNK_OUT_OF_ORDER, "chunk gap too large: expected " + session.expected
                    + ", got " + index + " (gap: " + gap + " > max: " + MAX_GAP + ")", null);
            } else if (session.buffered.size() >= MAX_BUFFERED) {
                reply(req, SyncStatus.SYNC_STATUS_CHUNK_OUT_OF_ORDER, "chunk buffer full, cannot store out-of-order chunk " + index, null);
            } else {
                session.buffered.put(index, req);
                reply(req, SyncStatus.SYNC_STATUS_CHUNK_RECEIVED, "chunk " + index + " buffered (waiting for " + session.expected + ")", null);
            }
        } else {
            reply(req, SyncStatus.SYNC_STATUS_CHUNK_RECEIVED, "duplicate chunk " + index + " ignored", null);
        }
    }

    private void processExpected(SyncPartRequest req) throws StreamError, java.io.IOException {
        ByteBuffer data = req.getChunkData().asReadOnlyByteBuffer();
        boolean corrupt = session.fault.corrupts(req.getChunkIndex());
        if (corrupt) {
            LOGGER.atInfo().addKeyValue("session", session.id).addKeyValue("chunk", req.getChunkIndex())
                .log("banyandb test receiver: test fault: chunk corrupted");
        }
        String calc = ChunkedSyncSink.checksum(corrupt ? corrupted(data) : data);
        if (!calc.equals(req.getChunkChecksum())) {
            // returns normally: the caller still advances the expected index (BanyanDB's behaviour)
            reply(req, SyncStatus.SYNC_STATUS_CHUNK_CHECKSUM_MISMATCH, "chunk " + req.getChunkIndex()
                + " checksum mismatch: expected " + req.getChunkChecksum() + ", got " + calc, null);
            return;
        }
        session.totalReceived += data.remaining();
        session.chunksReceived++;
        String topic = session.metadata.getTopic();
        if (!ChunkedSyncSink.TOPIC.equals(topic)) {
            throw new StreamError(Status.UNKNOWN, "unknown sync topic: " + topic);
        }
        for (int i = 0; i < req.getPartsInfoCount(); i++) {
            PartInfo info = req.getPartsInfo(i);
            enter(info);
            if (session.fault.busy(req.getChunkIndex())) {
                LOGGER.atInfo().addKeyValue("session", session.id).addKeyValue("chunk", req.getChunkIndex())
                    .log("banyandb test receiver: test fault: server busy");
                reply(req, SyncStatus.SYNC_STATUS_SERVER_BUSY, "receiver under memory pressure, retry later", null);
                return;
            }
            while (session.progress.size() <= i) {
                session.progress.add(new long[2]);
            }
            long[] progress = session.progress.get(i);
            for (FileInfo f : info.getFilesList()) {
                progress[0] += f.getSize();
                long offset = Integer.toUnsignedLong(f.getOffset());
                if (offset >= data.remaining()) {
                    LOGGER.atWarn().addKeyValue("file", f.getName()).log("banyandb test receiver: file offset beyond the chunk, skipped");
                    continue;
                }
                int size = (int) Math.min(Integer.toUnsignedLong(f.getSize()), data.remaining() - offset);
                ByteBuffer slice = data.duplicate();
                slice.position((int) offset).limit((int) offset + size);
                try {
                    session.part.current.append(f.getName(), slice);
                } catch (PartWriter.UnknownFileException e) {
                    throw new StreamError(Status.UNKNOWN, e.getMessage());
                }
                progress[1] += size;
            }
        }
        reply(req, SyncStatus.SYNC_STATUS_CHUNK_RECEIVED, "", null);
    }

    /** Makes {@code info}'s (id, type) the current part: a new id commits the previous one. */
    private void enter(PartInfo info) throws StreamError, java.io.IOException {
        Part part = session.part;
        if (part == null || part.senderId != info.getId()) {
            finishPart();
            if (info.getMinTimestamp() <= 0) {
                throw new StreamError(Status.UNKNOWN, "failed to create part handler: invalid MinTimestamp "
                    + info.getMinTimestamp() + " in chunk sync context for group " + session.metadata.getGroup());
            }
            if (!Names.isValid(session.metadata.getGroup())) {
                throw new StreamError(Status.UNKNOWN, "failed to create part handler: group " + session.metadata.getGroup() + " not found");
            }
            part = new Part(info.getId(), node.layout().newPartId(shardDir()));
            session.part = part;
        } else if (part.current.type().equals(info.getPartType())) {
            return;
        }
        PartWriter writer = new PartWriter(info, WireNames.isCore(info.getPartType())
            ? ReceiverLayout.coreDir(shardDir(), part.localId)
            : ReceiverLayout.sidxDir(shardDir(), requireRule(info.getPartType()), part.localId));
        part.types.add(writer);
        part.current = writer;
    }

    private static String requireRule(String type) {
        if (!Names.isValid(type)) {
            // BanyanDB would create a directory of any name; this receiver refuses to leave its root
            throw new IllegalStateException("sidx name " + type + " is not a safe directory name");
        }
        return type;
    }

    private java.nio.file.Path shardDir() {
        return node.layout().shardDir(session.metadata.getGroup(), session.metadata.getShardId());
    }

    /** BanyanDB's FinishSync: commits the part if it has its core, discards a sidx-only one. */
    private void finishPart() throws StreamError {
        Part part = session == null ? null : session.part;
        if (part == null) {
            return;
        }
        session.part = null;
        boolean hasCore = part.types.stream().anyMatch(w -> WireNames.isCore(w.type()));
        try {
            if (!hasCore) {
                LOGGER.atWarn().addKeyValue("part", part.senderId).log("banyandb test receiver: sidx parts without their core part discarded");
                return;
            }
            for (PartWriter w : part.types) {
                w.seal();
            }
            // sidx first, core last: the core directory is the part's publication
            for (PartWriter w : part.types) {
                if (!WireNames.isCore(w.type())) {
                    w.publish();
                }
            }
            for (PartWriter w : part.types) {
                if (WireNames.isCore(w.type())) {
                    w.publish();
                }
            }
            List<String> types = new ArrayList<>();
            part.types.forEach(w -> types.add(w.type()));
            node.layout().logCommit(session.metadata.getGroup(), session.metadata.getShardId(), part.senderId, part.localId,
                types, session.id);
            node.committed();
        } catch (java.io.IOException | RuntimeException e) {
            throw new StreamError(Status.INTERNAL, "failed to complete part " + part.senderId + ": " + e);
        } finally {
            part.types.forEach(PartWriter::close);
        }
    }

    private void complete(SyncPartRequest req) throws StreamError {
        finishPart();
        boolean success = session.progress.stream().allMatch(p -> p[0] == p[1]);
        SyncResult.Builder result = SyncResult.newBuilder().setSuccess(success).setTotalBytesReceived(session.totalReceived)
            .setDurationMs(clock.millis() - session.startedAt).setChunksReceived(session.chunksReceived)
            .setPartsReceived(session.progress.size());
        session.progress.forEach(p -> result.addPartsResults(PartResult.newBuilder().setSuccess(p[0] == p[1])
            .setBytesProcessed((int) p[1])));
        reply(req, SyncStatus.SYNC_STATUS_SYNC_COMPLETE, "", result.build());
        end();
    }

    private static ByteBuffer corrupted(ByteBuffer data) {
        ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data.duplicate());
        copy.flip();
        if (copy.hasRemaining()) {
            copy.put(0, (byte) (copy.get(0) ^ 1));
        }
        return copy;
    }

    private SyncPartResponse.Builder response(SyncPartRequest req, SyncStatus status, String error) {
        return SyncPartResponse.newBuilder().setSessionId(req.getSessionId()).setChunkIndex(req.getChunkIndex())
            .setStatus(status).setError(error);
    }

    private void reply(SyncPartRequest req, SyncStatus status, String error, SyncResult result) {
        SyncPartResponse.Builder r = response(req, status, error);
        if (result != null) {
            r.setSyncResult(result);
        }
        out.onNext(r.build());
    }

    private void discard() {
        if (session != null && session.part != null) {
            session.part.types.forEach(PartWriter::close);
            session.part = null;
        }
    }

    private void end() {
        ended = true;
        discard();
        out.onCompleted();
    }

    private void fail(Status status) {
        ended = true;
        discard();
        out.onError(status.asRuntimeException());
    }

    @Override
    public void onError(Throwable t) {
        // the sender cancelled: the part in progress is discarded, earlier parts of the stream stay committed
        ended = true;
        discard();
    }

    @Override
    public void onCompleted() {
        if (!ended) {
            end();
        }
    }
}
