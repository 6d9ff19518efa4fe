package dev.handoff.banyandb;

import dev.handoff.banyandb.grpc.cluster.PartInfo;
import dev.handoff.banyandb.grpc.cluster.PartResult;
import dev.handoff.banyandb.grpc.cluster.SyncPartRequest;
import dev.handoff.banyandb.grpc.cluster.SyncPartResponse;
import dev.handoff.banyandb.grpc.cluster.SyncResult;
import dev.handoff.banyandb.grpc.cluster.SyncStatus;
import dev.handoff.protocol.Names;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.ByteBuffer;
import java.time.Clock;
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
    private ReceiverSession session;
    private boolean ended;

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
        } catch (ReceiverStreamError e) {
            fail(e.status);
        } catch (RuntimeException | java.io.IOException e) {
            // BanyanDB panics here (a directory that exists, a part that does not open): the recovery interceptor answers INTERNAL
            LOGGER.atWarn().addKeyValue("error", e.toString()).log("banyandb test receiver: panic");
            fail(Status.INTERNAL.withDescription("panic: " + e.getMessage()));
        }
    }

    private void handle(SyncPartRequest req) throws ReceiverStreamError, java.io.IOException {
        if (req.hasMetadata()) {
            if (session != null) {
                finishPart();
            }
            session = new ReceiverSession(req.getMetadata(), req.getSessionId(), clock.millis(), node.nextFault());
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

    private void processChunk(SyncPartRequest req) throws ReceiverStreamError, java.io.IOException {
        java.util.Optional<SyncPartResponse> refused = VersionCheck.refusal(node.versions(), req);
        if (refused.isPresent()) {
            out.onNext(refused.get());
            return;
        }
        long now = clock.millis();
        if (!session.buffered.isEmpty() && now - session.lastChunkAt > BUFFER_TIMEOUT_MS) {
            throw ReceiverStreamError.unknown("buffer timeout: missing chunks " + session.buffered.keySet()
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

    private void processExpected(SyncPartRequest req) throws ReceiverStreamError, java.io.IOException {
        ByteBuffer data = req.getChunkData().asReadOnlyByteBuffer();
        boolean corrupt = session.fault.corrupts(req.getChunkIndex());
        if (corrupt) {
            LOGGER.atInfo().addKeyValue("session", session.id).addKeyValue("chunk", req.getChunkIndex())
                .log("banyandb test receiver: test fault: chunk corrupted");
        }
        String calc = ChunkedSyncSink.checksum(corrupt ? BanyanNode.Fault.corrupted(data) : data);
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
            throw ReceiverStreamError.unknown("unknown sync topic: " + topic);
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
            try {
                session.part.append(info, data, session.progress(i));
            } catch (PartWriter.UnknownFileException e) {
                throw ReceiverStreamError.unknown(e.getMessage());
            }
        }
        reply(req, SyncStatus.SYNC_STATUS_CHUNK_RECEIVED, "", null);
    }

    /** Makes {@code info}'s (id, type) the current part: a new id commits the previous one. */
    private void enter(PartInfo info) throws ReceiverStreamError, java.io.IOException {
        ReceivedPart part = session.part;
        if (part == null || part.senderId != info.getId()) {
            finishPart();
            if (info.getMinTimestamp() <= 0) {
                throw ReceiverStreamError.unknown("failed to create part handler: invalid MinTimestamp "
                    + info.getMinTimestamp() + " in chunk sync context for group " + session.metadata.getGroup());
            }
            if (!Names.isValid(session.metadata.getGroup())) {
                throw ReceiverStreamError.unknown("failed to create part handler: group " + session.metadata.getGroup() + " not found");
            }
            part = new ReceivedPart(info.getId(), node.layout().newPartId(shardDir()));
            session.part = part;
        } else if (part.current().type().equals(info.getPartType())) {
            return;
        }
        part.add(new PartWriter(info, ReceiverLayout.typeDir(shardDir(), info.getPartType(), part.localId)));
    }

    private java.nio.file.Path shardDir() {
        return node.layout().shardDir(session.metadata.getGroup(), session.metadata.getShardId());
    }

    /** BanyanDB's FinishSync: commits the part if it has its core, discards a sidx-only one. */
    private void finishPart() throws ReceiverStreamError {
        ReceivedPart part = session == null ? null : session.part;
        if (part == null) {
            return;
        }
        session.part = null;
        try {
            if (part.finish(node.layout(), session)) {
                node.committed();
            }
        } catch (java.io.IOException | RuntimeException e) {
            throw new ReceiverStreamError(Status.INTERNAL, "failed to complete part " + part.senderId + ": " + e);
        }
    }

    private void complete(SyncPartRequest req) throws ReceiverStreamError {
        finishPart();
        boolean success = session.complete();
        SyncResult.Builder result = SyncResult.newBuilder().setSuccess(success).setTotalBytesReceived(session.totalReceived)
            .setDurationMs(clock.millis() - session.startedAt).setChunksReceived(session.chunksReceived)
            .setPartsReceived(session.progress.size());
        session.progress.forEach(p -> result.addPartsResults(PartResult.newBuilder().setSuccess(p[0] == p[1])
            .setBytesProcessed((int) p[1])));
        reply(req, SyncStatus.SYNC_STATUS_SYNC_COMPLETE, "", result.build());
        end();
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
            session.part.discard();
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
