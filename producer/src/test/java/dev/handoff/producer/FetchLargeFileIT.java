package dev.handoff.producer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.common.Checksums;
import dev.handoff.testkit.SharedKafkaTest;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Runs in its own Failsafe execution with {@code -Xmx128m} (see pom.xml): the file is four times the heap. */
class FetchLargeFileIT extends SharedKafkaTest {
    private static final long SIZE = 512L * 1024 * 1024;

    @Test
    void shouldStreamAFileLargerThanTheHeapWithFlatMemory() throws Exception {
        // Given a 512 MiB file (sparse, with random blocks at the start, middle and end) in a JVM of 128 MiB heap
        assertThat(Runtime.getRuntime().maxMemory()).isLessThan(SIZE / 2);
        Path core = Files.createDirectories(tmp.resolve("src/core"));
        Path big = core.resolve("data.bin");
        Random random = new Random(42);
        byte[] block = new byte[1024 * 1024];
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(SIZE);
            for (long at : new long[] {0, SIZE / 2 + 12_345, SIZE - block.length}) {
                random.nextBytes(block);
                f.seek(at);
                f.write(block);
            }
        }
        Files.write(core.resolve("small.bin"), new byte[] {1, 2, 3});
        long expectedCrc = Checksums.crc32c(big);
        ProducerSettings settings = Fixtures.settings(KAFKA, tmp.resolve("store"), "big").build();
        PartKey part = new PartKey("big", "g", 0, 99L);
        try (HandoffProducer producer = Fixtures.started(settings)) {
            producer.enqueue(Bundle.of(part, new Bundle.Type("core", core, Map.of())), List.of("127.0.0.1:1"));

            // When it is fetched over real gRPC in 1 MiB chunks
            Map<String, FetchClient.Received> got = FetchClient.fetch(producer.advertisedAddress(), part, 0);

            // Then every byte arrived in order with the right size and CRC32C
            assertThat(got.keySet()).containsExactly("core/data.bin", "core/small.bin");
            assertThat(got.get("core/data.bin").size()).isEqualTo(SIZE);
            assertThat(got.get("core/data.bin").crc32c()).isEqualTo(expectedCrc);
            assertThat(got.get("core/data.bin").chunks()).isEqualTo(512);
            assertThat(got.get("core/small.bin").size()).isEqualTo(3);
        }
    }
}
