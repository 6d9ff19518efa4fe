package dev.handoff.producer;

import dev.handoff.protocol.InvalidFieldException;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.grpc.FetchRequest;
import dev.handoff.protocol.grpc.FileChunk;
import dev.handoff.protocol.grpc.PartStoreGrpc;
import dev.handoff.protocol.grpc.ProtoMapping;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code handoff.v1.PartStore}: streams a stored bundle's files to a replayer, in manifest order, in
 * chunks, only as fast as the client reads (gRPC flow control), so memory stays flat whatever the
 * part size. Stateless; each call's {@link FetchStream} is confined to that call's serialized executor.
 */
final class PartStoreService extends PartStoreGrpc.PartStoreImplBase {
    private static final Logger LOGGER = LoggerFactory.getLogger(PartStoreService.class);

    private final BundleStore store;
    private final int defaultChunk;
    private final ProducerMetrics metrics;

    PartStoreService(BundleStore store, int defaultChunk, ProducerMetrics metrics) {
        this.store = store;
        this.defaultChunk = defaultChunk;
        this.metrics = metrics;
    }

    @Override
    public void fetch(FetchRequest request, StreamObserver<FileChunk> observer) {
        PartKey part;
        try {
            part = ProtoMapping.fromProto(request.getPart());
            store.layout().bundleDir(part);
        } catch (InvalidFieldException e) {
            observer.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return;
        }
        Optional<Manifest> manifest = store.get(part);
        if (manifest.isEmpty()) {
            observer.onError(Status.NOT_FOUND.withDescription("no stored bundle " + part + " (unknown or released)")
                .asRuntimeException());
            return;
        }
        int chunk = request.getChunkSize() == 0 ? defaultChunk
            : (int) Math.min(Integer.toUnsignedLong(request.getChunkSize()), PartStoreServerSettings.MAX_CHUNK_SIZE);
        LOGGER.atDebug().addKeyValue("part", part).addKeyValue("chunk", chunk).log("fetch started");
        ServerCallStreamObserver<FileChunk> call = (ServerCallStreamObserver<FileChunk>) observer;
        FetchStream stream = new FetchStream(store.layout(), manifest.get(), chunk, call, metrics);
        call.setOnCancelHandler(stream::cancel);
        call.setOnReadyHandler(stream::pump);
        // onReady may have fired before this method ran (the request is unary): start pumping now.
        stream.pump();
    }
}
