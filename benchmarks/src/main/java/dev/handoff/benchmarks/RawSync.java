package dev.handoff.benchmarks;

import com.google.protobuf.ByteString;
import dev.handoff.protocol.FileEntry;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.PartTypeEntry;
import dev.handoff.protocol.common.GrpcChannels;
import dev.handoff.protocol.grpc.FileChunk;
import dev.handoff.protocol.grpc.PartSyncGrpc;
import dev.handoff.protocol.grpc.ProtoMapping;
import dev.handoff.protocol.grpc.SyncCommit;
import dev.handoff.protocol.grpc.SyncHeader;
import dev.handoff.protocol.grpc.SyncRequest;
import dev.handoff.protocol.grpc.SyncResponse;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A raw {@code PartSync} sender for baselines: the same small bundle (its files read once into memory) sent
 * under {@code count} fresh PartKeys with {@code concurrency} sessions open at a time, no Kafka, no part store,
 * no replayer. What a data node takes when nothing but the protocol is in front of it. Used by one thread.
 */
final class RawSync {
    private final List<PartTypeEntry> types;
    private final List<FileChunk> chunks = new ArrayList<>();
    private final long bytes;

    RawSync(Parts.Part template) throws java.io.IOException {
        this.types = template.types();
        long total = 0;
        for (PartTypeEntry t : types) {
            Path dir = template.bundle().types().stream().filter(b -> b.type().equals(t.type())).findFirst().orElseThrow()
                .directory();
            for (FileEntry f : t.files()) {
                chunks.add(FileChunk.newBuilder().setType(t.type()).setName(f.name()).setOffset(0)
                    .setData(ByteString.copyFrom(Files.readAllBytes(dir.resolve(f.name())))).setLast(true).build());
                total += f.size();
            }
        }
        this.bytes = total;
    }

    /** Bundles per second of {@code count} sessions to {@code address}, {@code concurrency} at a time; all must be APPLIED. */
    double rate(String address, int concurrency, int count, long firstPartId) throws Exception {
        ManagedChannel channel = GrpcChannels.open(address, null);
        try {
            PartSyncGrpc.PartSyncStub stub = PartSyncGrpc.newStub(channel);
            Semaphore slots = new Semaphore(concurrency);
            AtomicReference<String> failure = new AtomicReference<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < count && failure.get() == null; i++) {
                if (!slots.tryAcquire(2, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("raw sync: no session finished within 2 minutes");
                }
                send(stub, new PartKey("raw", "sw_metric", i % 8, firstPartId + i), slots, failure);
            }
            if (!slots.tryAcquire(concurrency, 2, TimeUnit.MINUTES)) {
                throw new IllegalStateException("raw sync: sessions still open after 2 minutes");
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (failure.get() != null) {
                throw new IllegalStateException("raw sync failed: " + failure.get());
            }
            return count / seconds;
        } finally {
            GrpcChannels.close(channel);
        }
    }

    private void send(PartSyncGrpc.PartSyncStub stub, PartKey key, Semaphore slots, AtomicReference<String> failure) {
        StreamObserver<SyncRequest> requests = stub.sync(new StreamObserver<>() {
            @Override
            public void onNext(SyncResponse r) {
                if (r.getStatus() != SyncResponse.Status.APPLIED) {
                    failure.compareAndSet(null, key + ": " + r.getStatus() + " " + r.getReason());
                }
            }

            @Override
            public void onError(Throwable t) {
                failure.compareAndSet(null, key + ": " + t);
                slots.release();
            }

            @Override
            public void onCompleted() {
                slots.release();
            }
        });
        requests.onNext(SyncRequest.newBuilder().setHeader(SyncHeader.newBuilder().setPart(ProtoMapping.toProto(key))
            .addAllTypes(ProtoMapping.toProto(types)).setTotalBytes(bytes).setSender("raw-baseline")).build());
        for (FileChunk c : chunks) {
            requests.onNext(SyncRequest.newBuilder().setChunk(c).build());
        }
        requests.onNext(SyncRequest.newBuilder().setCommit(SyncCommit.getDefaultInstance()).build());
        requests.onCompleted();
    }
}
