package dev.handoff.datanode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.PartTypeEntry;
import dev.handoff.protocol.grpc.SyncResponse;
import dev.handoff.testkit.Tmpfs;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A data node whose {@code --dir} is a small tmpfs: a real ENOSPC in the middle of a bundle and of a log line. */
class DataNodeDiskFullIT extends DataNodeTestSupport {
    private static final PartKey KEY = new PartKey("liaison-1", "g", 3, 0x77L);

    @Test
    void shouldAnswerResourceExhaustedAndLeaveNothingWhenTheDiskFillsMidBundle() throws Exception {
        // Given a data node on a 4 MiB tmpfs with 1.5 MiB left, and a 2.6 MiB bundle (3 chunks of data.bin)
        Path source = temp.resolve("source");
        Map<String, Map<String, Long>> layout = new LinkedHashMap<>();
        layout.put("core", new LinkedHashMap<>(Map.of("data.bin", 2 * MIB + 500_000L)));
        layout.get("core").put("meta.json", 300L);
        layout.put("sidx_a", Map.of("index.bin", 70_000L));
        List<PartTypeEntry> types = Bundles.write(source, layout, 11);
        try (Tmpfs disk = Tmpfs.mount(temp.resolve("node"), 4 * MIB)) {
            try (DataNode node = startedOn(disk.dir());
                 SyncClient client = new SyncClient(node.address())) {
                Path filler = disk.fill("filler", 3 * MIB / 2);
                long usableBefore = disk.usableBytes();

                // When the bundle is sent: its second chunk meets ENOSPC
                // Then the answer is the retriable RESOURCE_EXHAUSTED naming the full disk, not REJECTED
                assertThatThrownBy(() -> client.sendBundle(KEY, source, types))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                        assertThat(e.getStatus().getDescription()).contains("no space left on device", disk.dir().toString());
                    });
                // and the staging directory is gone (its space is back), nothing is visible, nothing logged
                assertThat(list(disk.dir().resolve("tmp"))).isEmpty();
                assertThat(disk.usableBytes()).isEqualTo(usableBefore);
                assertThat(Files.exists(node.bundleDir(KEY))).isFalse();
                assertThat(node.appliedCount(KEY)).isZero();
                assertThat(node.isReady()).isTrue();

                // When space returns and the sender retries
                Files.delete(filler);
                SyncResponse retried = client.sendBundle(KEY, source, types);

                // Then the bundle is applied once, whole
                assertThat(retried.getStatus()).isEqualTo(SyncResponse.Status.APPLIED);
                assertThat(node.appliedCount(KEY)).isEqualTo(1);
                assertThat(node.verify(KEY, types)).isEmpty();
            }
        }
    }

    @Test
    void shouldKeepTheAppliedLogReadableWhenTheDiskFillsMidLine() throws Exception {
        try (Tmpfs disk = Tmpfs.mount(temp.resolve("log"), MIB)) {
            // Given an applied log whose next line would cross into a new page, on a file system with no page left
            Path file = disk.dir().resolve("applied.log");
            int lineBytes = (KEY + "\n").getBytes(StandardCharsets.UTF_8).length;
            PartKey failed = new PartKey("liaison-1", "g", 1, 0xfeL);
            PartKey later = new PartKey("liaison-1", "g", 2, 0xffL);
            long written = 0;
            try (AppliedLog log = AppliedLog.open(file)) {
                for (long id = 1; 4096 - Files.size(file) % 4096 >= lineBytes; id++) {
                    log.append(new PartKey("liaison-1", "g", 0, id));
                    written++;
                }
                Path filler = disk.fill("filler", 0);

                // When an append gets only part of its line onto the disk
                assertThatThrownBy(() -> log.append(failed)).isInstanceOf(IOException.class)
                    .hasMessageContaining("No space left on device");

                // Then the torn part is cut off: after space returns the next line starts where it should
                assertThat(Files.size(file) % lineBytes).as("log size %d in whole lines", Files.size(file)).isZero();
                Files.delete(filler);
                log.append(later);
            }
            // and the log loads at the next start with every whole line, and without the failed one
            try (AppliedLog reopened = AppliedLog.open(file)) {
                assertThat(reopened.total()).isEqualTo(written + 1);
                assertThat(reopened.count(later)).isEqualTo(1);
                assertThat(reopened.count(failed)).isZero();
            }
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
