package dev.handoff.datanode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.PartTypeEntry;
import dev.handoff.protocol.common.GrpcServer;
import dev.handoff.protocol.grpc.SyncResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Hostile senders the session rules alone do not cover: messages above the inbound limit. */
class HostileSyncIT extends DataNodeTestSupport {
    private static final PartKey KEY = new PartKey("liaison-1", "metrics", 3, 0x42L);

    @Test
    void shouldRefuseAMessageAboveTheInboundLimitLeaveNothingAndKeepServing() throws Exception {
        try (DataNode node = startedOn(temp.resolve("node"));
             SyncClient client = new SyncClient(node.address())) {
            // Given a session announcing one file bigger than the largest accepted message
            byte[] huge = new byte[GrpcServer.MAX_INBOUND_MESSAGE_BYTES + 1024];
            List<PartTypeEntry> types = Bundles.oneFile("core", "big.bin", huge);
            SyncClient.ManualSession session = client.open();
            session.send(Bundles.header(KEY, types));

            // When the whole file is sent as one chunk message
            session.send(Bundles.chunk("core", "big.bin", 0, huge, true));

            // Then the call fails RESOURCE_EXHAUSTED, nothing is applied and the staging area empties
            assertThatThrownBy(() -> SyncClient.await(session.answer))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                    e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(entries(node, "tmp")).isEmpty());
            assertThat(node.totalApplied()).isZero();

            // And the same bundle in 1 MiB chunks is applied afterwards
            Path source = Files.createDirectories(temp.resolve("source/core"));
            Files.write(source.resolve("big.bin"), huge);
            assertThat(client.sendBundle(KEY, temp.resolve("source"), types).getStatus()).isEqualTo(SyncResponse.Status.APPLIED);
            assertThat(node.appliedCount(KEY)).isEqualTo(1);
        }
    }

    private static List<Path> entries(DataNode node, String dir) throws Exception {
        try (Stream<Path> s = Files.list(node.dataDir().resolve(dir))) {
            return s.toList();
        }
    }
}
