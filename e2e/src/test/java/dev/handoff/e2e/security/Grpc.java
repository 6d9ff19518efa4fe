package dev.handoff.e2e.security;

import com.google.protobuf.ByteString;
import dev.handoff.testkit.SingleAnswer;
import dev.handoff.protocol.common.Checksums;
import dev.handoff.protocol.common.GrpcChannels;
import dev.handoff.protocol.common.TlsConfig;
import dev.handoff.protocol.grpc.FileChunk;
import dev.handoff.protocol.grpc.FileInfo;
import dev.handoff.protocol.grpc.PartKey;
import dev.handoff.protocol.grpc.PartSyncGrpc;
import dev.handoff.protocol.grpc.PartTypeInfo;
import dev.handoff.protocol.grpc.SyncCommit;
import dev.handoff.protocol.grpc.SyncHeader;
import dev.handoff.protocol.grpc.SyncRequest;
import dev.handoff.protocol.grpc.SyncResponse;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Hand-made gRPC calls of the security tests: a one-file Sync session and a health check. */
final class Grpc {
    private Grpc() {
    }

    /** Sends a one-file bundle ({@code core/data.bin}) to a PartSync server; returns its answer or throws its error. */
    static SyncResponse syncOneFile(String address, TlsConfig tls, PartKey part) throws Exception {
        byte[] data = "hello over tls".getBytes(StandardCharsets.UTF_8);
        ManagedChannel channel = GrpcChannels.open(address, tls);
        try {
            SingleAnswer<SyncResponse> answer = new SingleAnswer<>();
            StreamObserver<SyncRequest> requests = PartSyncGrpc.newStub(channel).sync(answer);
            FileInfo file = FileInfo.newBuilder().setName("data.bin").setSize(data.length)
                .setCrc32C((int) Checksums.crc32c(data)).build();
            requests.onNext(SyncRequest.newBuilder().setHeader(SyncHeader.newBuilder().setPart(part)
                .addTypes(PartTypeInfo.newBuilder().setType("core").addFiles(file)).setSender("security-test")).build());
            requests.onNext(SyncRequest.newBuilder().setChunk(FileChunk.newBuilder().setType("core").setName("data.bin")
                .setOffset(0).setData(ByteString.copyFrom(data)).setLast(true)).build());
            requests.onNext(SyncRequest.newBuilder().setCommit(SyncCommit.getDefaultInstance()).build());
            requests.onCompleted();
            return answer.await(java.time.Duration.ofSeconds(30));
        } finally {
            GrpcChannels.close(channel);
        }
    }

    /** One grpc.health.v1 Check with a deadline. */
    static HealthCheckResponse.ServingStatus health(String address, TlsConfig tls) {
        ManagedChannel channel = GrpcChannels.open(address, tls);
        try {
            return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
                .check(HealthCheckRequest.getDefaultInstance()).getStatus();
        } finally {
            GrpcChannels.close(channel);
        }
    }
}
