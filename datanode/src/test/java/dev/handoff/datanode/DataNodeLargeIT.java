package dev.handoff.datanode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.PartTypeEntry;
import dev.handoff.protocol.grpc.SyncResponse.Status;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A bundle larger than this JVM's heap (Failsafe runs this class with {@code -Xmx128m}): client and data node
 * in the same JVM both stream it chunk by chunk.
 */
class DataNodeLargeIT extends DataNodeTestSupport {
    @Test
    void shouldApply200MibBundleWithBoundedHeap() throws Exception {
        // Given a 200 MiB core file (plus a sidx type) and a heap smaller than it
        long maxHeap = Runtime.getRuntime().maxMemory();
        Map<String, Map<String, Long>> layout = new LinkedHashMap<>();
        layout.put("core", Map.of("data.bin", 200 * MIB + 123));
        layout.put("sidx_trace", Map.of("index.bin", 5 * MIB));
        Path source = temp.resolve("source");
        List<PartTypeEntry> types = Bundles.write(source, layout, 11);
        PartKey key = new PartKey("liaison-big", "metrics", 1, 0xfeed_0000_0000_0001L);

        // When it is streamed with flow control
        try (DataNode node = startedOn(temp.resolve("node"));
             SyncClient client = new SyncClient(node.address())) {
            Status status = client.sendBundle(key, source, types).getStatus();

            // Then it is applied intact, and the heap never had room for the file
            assertThat(status).isEqualTo(Status.APPLIED);
            assertThat(node.verify(key, types)).isEmpty();
            assertThat(node.appliedCount(key)).isEqualTo(1);
        }
        // the setup really is "a file larger than the heap" (Failsafe's -Xmx128m for *LargeIT)
        assertThat(maxHeap).isLessThan(200 * MIB);
    }
}
