package dev.handoff.banyandb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.handoff.banyandb.grpc.cluster.FileInfo;
import dev.handoff.banyandb.grpc.cluster.PartInfo;
import dev.handoff.banyandb.grpc.cluster.SyncCompletion;
import dev.handoff.banyandb.grpc.cluster.SyncMetadata;
import dev.handoff.banyandb.grpc.cluster.SyncPartRequest;
import dev.handoff.banyandb.grpc.cluster.SyncPartResponse;
import dev.handoff.banyandb.grpc.cluster.SyncStatus;
import dev.handoff.protocol.common.GrpcChannels;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The §2.8 checklist of BanyanDB's receiver, quirks included, driven message by message. */
class ReceiverConformanceTest {
    private static final byte[] CORE = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 9, 9, 1, 2, 3, 4, 5, 6};
    @TempDir
    Path tmp;
    private BanyanNode node;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        node = new BanyanNode(BanyanNodeSettings.forTests(tmp), Clock.systemUTC()).start();
        channel = GrpcChannels.open(node.address(), null);
    }

    @AfterEach
    void stop() {
        GrpcChannels.close(channel);
        node.close();
    }

    private StopAndWaitStream stream() {
        return new StopAndWaitStream(channel, Duration.ofSeconds(10), () -> { });
    }

    private static PartInfo part(long id, String type, long minTs, FileInfo... files) {
        return PartInfo.newBuilder().setId(id).setPartType(type).setMinTimestamp(minTs).setMaxTimestamp(minTs + 10)
            .addAllFiles(List.of(files)).build();
    }

    private static FileInfo file(String name, int offset, int size) {
        return FileInfo.newBuilder().setName(name).setOffset(offset).setSize(size).build();
    }

    /** A chunk holding a core part's meta (4+8 bytes), primary (0) and spans (0). */
    private static SyncPartRequest.Builder chunk(int index, String topic, PartInfo... parts) {
        ByteString data = ByteString.copyFrom(CORE);
        SyncPartRequest.Builder b = SyncPartRequest.newBuilder().setSessionId("sync-1").setChunkIndex(index).setChunkData(data)
            .setChunkChecksum(ChunkedSyncSink.checksum(data.asReadOnlyByteBuffer())).addAllPartsInfo(List.of(parts))
            .setVersionInfo(BanyanVersions.DEFAULTS.toProto());
        if (index == 0) {
            b.setMetadata(SyncMetadata.newBuilder().setGroup("g").setShardId(1).setTopic(topic).setTotalParts(parts.length));
        }
        return b;
    }

    private static PartInfo core(long id) {
        return part(id, "core", 100, file("meta", 0, CORE.length));
    }

    private static SyncPartRequest completion(int index) {
        return SyncPartRequest.newBuilder().setSessionId("sync-1").setChunkIndex(index)
            .setCompletion(SyncCompletion.newBuilder().setTotalChunks(index - 1)).build();
    }

    @Test
    void shouldAnswerSessionNotFoundAndEndTheStreamWhenTheFirstMessageHasNoMetadata() throws Exception {
        StopAndWaitStream s = stream();

        SyncPartResponse r = s.exchange(chunk(1, ChunkedSyncSink.TOPIC, core(1)).build());

        assertThat(r.getStatus()).isEqualTo(SyncStatus.SYNC_STATUS_SESSION_NOT_FOUND);
        assertThat(r.getError()).isEqualTo("session sync-1 not found");
        assertThatThrownBy(() -> s.exchange(chunk(2, ChunkedSyncSink.TOPIC, core(1)).build())).isInstanceOf(BanyanSyncException.class);
    }

    @Test
    void shouldCommitACorePartAtCompletionAndAnswerSyncCompleteWithTheSessionsCounts() throws Exception {
        StopAndWaitStream s = stream();

        assertThat(s.exchange(chunk(0, ChunkedSyncSink.TOPIC, core(9)).build()).getStatus()).isEqualTo(SyncStatus.SYNC_STATUS_CHUNK_RECEIVED);
        SyncPartResponse done = s.exchange(completion(2));

        assertThat(done.getStatus()).isEqualTo(SyncStatus.SYNC_STATUS_SYNC_COMPLETE);
        assertThat(done.getChunkIndex()).isEqualTo(2);
        assertThat(done.getSyncResult().getSuccess()).isTrue();
        assertThat(done.getSyncResult().getChunksReceived()).isEqualTo(1);
        assertThat(done.getSyncResult().getTotalBytesReceived()).isEqualTo(CORE.length);
        assertThat(node.commitsOf("g", 1, 9)).hasSize(1);
        assertThat(node.commitsOf("g", 1, 9).get(0).coreDir(tmp).resolve("meta.bin")).hasBinaryContent(CORE);
    }

    @Test
    void shouldCompareChecksumsAsStringsAndDropTheResentChunkAsADuplicate() throws Exception {
        StopAndWaitStream s = stream();
        s.exchange(chunk(0, ChunkedSyncSink.TOPIC, core(3)).build());
        SyncPartRequest good = chunk(1, ChunkedSyncSink.TOPIC, part(3, "core", 100, file("primary", 0, 4))).build();
        SyncPartRequest upper = good.toBuilder().setChunkChecksum(good.getChunkChecksum().toUpperCase()).build();

        // An uppercase checksum is a mismatch (string compare) ...
        SyncPartResponse mismatch = s.exchange(upper);
        assertThat(good.getChunkChecksum()).matches(".*[a-f].*");
        assertThat(mismatch.getStatus()).isEqualTo(SyncStatus.SYNC_STATUS_CHUNK_CHECKSUM_MISMATCH);
        assertThat(mismatch.getError()).startsWith("chunk 1 checksum mismatch: expected ");

        // ... and BanyanDB still advanced its expected index: the resend is ignored, its data lost
        SyncPartResponse resent = s.exchange(good);
        assertThat(resent.getStatus()).isEqualTo(SyncStatus.SYNC_STATUS_CHUNK_RECEIVED);
        assertThat(resent.getError()).isEqualTo("duplicate chunk 1 ignored");
    }

    @Test
    void shouldBufferAChunkAheadAndRefuseOneTooFarAhead() throws Exception {
        StopAndWaitStream s = stream();
        s.exchange(chunk(0, ChunkedSyncSink.TOPIC, core(4)).build());

        SyncPartResponse ahead = s.exchange(chunk(2, ChunkedSyncSink.TOPIC, core(4)).build());
        SyncPartResponse far = s.exchange(chunk(8, ChunkedSyncSink.TOPIC, core(4)).build());

        assertThat(ahead.getError()).isEqualTo("chunk 2 buffered (waiting for 1)");
        assertThat(far.getStatus()).isEqualTo(SyncStatus.SYNC_STATUS_CHUNK_OUT_OF_ORDER);
        assertThat(far.getError()).isEqualTo("chunk gap too large: expected 1, got 8 (gap: 7 > max: 5)");
    }

    @Test
    void shouldEndTheStreamOnAnUnknownTopic() throws Exception {
        StopAndWaitStream s = stream();

        assertThatThrownBy(() -> s.exchange(chunk(0, "v1:stream-part-sync", core(1)).build()))
            .isInstanceOfSatisfying(BanyanSyncException.class, e -> assertThat(e.code()).isEqualTo(Status.Code.UNKNOWN))
            .hasMessageContaining("unknown sync topic: v1:stream-part-sync");
    }

    @Test
    void shouldAnswerInternalWhenAPartTypeIsReenteredInOneSession() throws Exception {
        StopAndWaitStream s = stream();
        s.exchange(chunk(0, ChunkedSyncSink.TOPIC, core(5), part(5, "duration", 100, file("data", 0, 2))).build());

        assertThatThrownBy(() -> s.exchange(chunk(1, ChunkedSyncSink.TOPIC, core(5)).build()))
            .isInstanceOfSatisfying(BanyanSyncException.class, e -> assertThat(e.code()).isEqualTo(Status.Code.INTERNAL));
        assertThat(node.commitLog()).isEmpty();
    }

    @Test
    void shouldDiscardASidxPartThatArrivesWithoutItsCore() throws Exception {
        StopAndWaitStream s = stream();
        s.exchange(chunk(0, ChunkedSyncSink.TOPIC, part(6, "duration", 100, file("data", 0, 4))).build());

        SyncPartResponse done = s.exchange(completion(2));

        assertThat(done.getStatus()).isEqualTo(SyncStatus.SYNC_STATUS_SYNC_COMPLETE);
        assertThat(done.getSyncResult().getSuccess()).isTrue();
        assertThat(node.commitLog()).isEmpty();
    }

    @Test
    void shouldCommitAnEarlierIdOfTheSessionAsSoonAsTheNextIdStartsAndDiscardTheOneInProgressOnCancel() throws Exception {
        StopAndWaitStream s = stream();
        s.exchange(chunk(0, ChunkedSyncSink.TOPIC, core(7)).build());
        s.exchange(chunk(1, ChunkedSyncSink.TOPIC, core(8)).build());

        s.cancel("test");

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(node.commitsOf("g", 1, 7)).hasSize(1);
            try (var files = java.nio.file.Files.walk(tmp)) {
                assertThat(files.filter(p -> p.getFileName().toString().endsWith(".staging"))).isEmpty();
            }
        });
        assertThat(node.commitsOf("g", 1, 8)).isEmpty();
    }

    @Test
    void shouldRefuseAFirstPartWithoutAPositiveMinTimestamp() {
        StopAndWaitStream s = stream();

        assertThatThrownBy(() -> s.exchange(chunk(0, ChunkedSyncSink.TOPIC, part(1, "core", 0, file("meta", 0, 4))).build()))
            .hasMessageContaining("invalid MinTimestamp 0 in chunk sync context for group g");
    }

    @Test
    void shouldRefuseANameTheSidxRoutingDoesNotKnow() {
        StopAndWaitStream s = stream();

        assertThatThrownBy(() -> s.exchange(chunk(0, ChunkedSyncSink.TOPIC, core(2), part(2, "duration", 100, file("spans", 0, 4))).build()))
            .hasMessageContaining("unknown sidx file type: spans for sidx: duration");
    }
}
