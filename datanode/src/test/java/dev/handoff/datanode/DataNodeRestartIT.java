package dev.handoff.datanode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.PartTypeEntry;
import dev.handoff.protocol.grpc.SyncResponse.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A data node over a directory another data node used: crash leftovers, the applied log, test-only faults. */
class DataNodeRestartIT extends DataNodeTestSupport {
    private static final PartKey KEY = new PartKey("liaison-2", "stream", 0, 42L);

    @Test
    void shouldKeepAppliedCountsAndCleanLeftoverTmpAcrossRestart() throws Exception {
        // Given a bundle applied by a first data node, and an unfinished session planted in tmp/
        Path source = temp.resolve("source");
        List<PartTypeEntry> types = Bundles.writeStandard(source, 7);
        Path dir = temp.resolve("node");
        try (DataNode first = startedOn(dir);
             SyncClient client = new SyncClient(first.address())) {
            assertThat(client.sendBundle(KEY, source, types).getStatus()).isEqualTo(Status.APPLIED);
        }
        Path leftover = Files.createDirectories(dir.resolve("tmp/crashed-session/core"));
        Files.write(leftover.resolve("data.bin"), new byte[100]);

        // When a second data node starts over the same directory
        try (DataNode second = startedOn(dir);
             SyncClient client = new SyncClient(second.address())) {

            // Then the leftover is gone, the count survived and the bundle is a duplicate
            assertThat(list(dir.resolve("tmp"))).isEmpty();
            assertThat(second.appliedCount(KEY)).isEqualTo(1);
            assertThat(second.verify(KEY, types)).isEmpty();
            assertThat(client.sendBundle(KEY, source, types).getStatus()).isEqualTo(Status.DUPLICATE);
            assertThat(second.totalApplied()).isEqualTo(1);
        }
    }

    @Test
    void shouldLogBundleThatWasRenamedIntoPlaceJustBeforeACrash() throws Exception {
        // Given a complete bundle in parts/ that the applied log does not know (crash after the rename)
        Path dir = temp.resolve("node");
        Path bundle = dir.resolve("parts/liaison-2/stream/0/000000000000002a");
        List<PartTypeEntry> types = Bundles.writeStandard(bundle, 8);

        // When the data node starts
        try (DataNode node = startedOn(dir);
             SyncClient client = new SyncClient(node.address())) {

            // Then it counts as applied once, and a resend is a duplicate
            assertThat(node.appliedCount(KEY)).isEqualTo(1);
            assertThat(client.sendBundle(KEY, bundle, types).getStatus()).isEqualTo(Status.DUPLICATE);
            assertThat(node.appliedCount(KEY)).isEqualTo(1);
        }
    }

    @Test
    void shouldDropTornLastLineOfTheAppliedLog() throws Exception {
        // Given an applied log whose last line was cut by a crash
        Path dir = Files.createDirectories(temp.resolve("node"));
        Files.writeString(dir.resolve("applied.log"), KEY + "\nliaison-2/str");

        // When the data node starts and applies another part
        PartKey other = new PartKey("liaison-2", "stream", 1, 43L);
        byte[] data = "z".getBytes();
        List<PartTypeEntry> types = Bundles.oneFile("core", "a.bin", data);
        try (DataNode node = startedOn(dir);
             SyncClient client = new SyncClient(node.address())) {
            client.sendRaw(Bundles.header(other, types), Bundles.chunk("core", "a.bin", 0, data, true), Bundles.commit());

            // Then both parts count once and the log holds whole lines only
            assertThat(node.appliedParts()).containsExactlyInAnyOrder(KEY, other);
        }
        assertThat(Files.readString(dir.resolve("applied.log"))).isEqualTo(KEY + "\n" + other + "\n");
    }

    @Test
    void shouldFailEverySessionWithUnavailableWhenTestFailureRateIsOne() throws Exception {
        // Given a data node configured to fail every session
        Path source = temp.resolve("source");
        List<PartTypeEntry> types = Bundles.writeStandard(source, 9);
        Path dir = temp.resolve("node");
        try (DataNode node = new DataNode(loopback(dir).testFailureRate(1.0).build()).start();
             SyncClient client = new SyncClient(node.address())) {

            // When bundles are sent, Then each session fails UNAVAILABLE and nothing is written
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> client.sendBundle(KEY, source, types))
                    .isInstanceOf(StatusRuntimeException.class).hasMessageContaining("UNAVAILABLE");
            }
            assertThat(node.appliedCount(KEY)).isZero();
            assertThat(list(dir.resolve("tmp"))).isEmpty();
            assertThat(list(dir.resolve("parts"))).isEmpty();
        }
    }

    @Test
    void shouldStillApplyWithTestLatencyPerSession() throws Exception {
        // Given a data node that delays its answers
        byte[] data = "slow".getBytes();
        List<PartTypeEntry> types = Bundles.oneFile("core", "a.bin", data);
        DataNodeSettings settings = loopback(temp.resolve("node"))
            .testLatencyPerSession(Duration.ofMillis(50)).build();
        try (DataNode node = new DataNode(settings).start(); SyncClient client = new SyncClient(node.address())) {

            // When a bundle is sent, Then it is applied once
            assertThat(client.sendRaw(Bundles.header(KEY, types), Bundles.chunk("core", "a.bin", 0, data, true),
                Bundles.commit()).getStatus()).isEqualTo(Status.APPLIED);
            assertThat(node.appliedCount(KEY)).isEqualTo(1);
        }
    }

    @Test
    void shouldAnswerADuplicateWithoutTheTestLatency() throws Exception {
        // Given a data node whose answers wait 3 s, and a bundle it applied
        byte[] data = "slow".getBytes();
        List<PartTypeEntry> types = Bundles.oneFile("core", "a.bin", data);
        Duration latency = Duration.ofSeconds(3);
        DataNodeSettings settings = loopback(temp.resolve("node")).testLatencyPerSession(latency).build();
        try (DataNode node = new DataNode(settings).start(); SyncClient client = new SyncClient(node.address())) {
            long applying = System.nanoTime();
            assertThat(client.sendRaw(Bundles.header(KEY, types), Bundles.chunk("core", "a.bin", 0, data, true),
                Bundles.commit()).getStatus()).isEqualTo(Status.APPLIED);
            assertThat(Duration.ofNanos(System.nanoTime() - applying)).isGreaterThanOrEqualTo(latency);

            // When the same bundle is sent again
            long again = System.nanoTime();
            Status status = client.sendRaw(Bundles.header(KEY, types), Bundles.chunk("core", "a.bin", 0, data, true),
                Bundles.commit()).getStatus();

            // Then it is a duplicate, answered before the latency (it stands for the work of applying)
            assertThat(status).isEqualTo(Status.DUPLICATE);
            assertThat(Duration.ofNanos(System.nanoTime() - again)).isLessThan(latency);
            assertThat(node.appliedCount(KEY)).isEqualTo(1);
        }
    }

    private static List<Path> list(Path dir) throws Exception {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.toList();
        }
    }
}
