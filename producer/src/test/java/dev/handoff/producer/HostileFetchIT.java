package dev.handoff.producer;

import static dev.handoff.producer.Fixtures.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.common.Checksums;
import dev.handoff.protocol.common.GrpcChannels;
import dev.handoff.protocol.common.GrpcServer;
import dev.handoff.protocol.grpc.FetchRequest;
import dev.handoff.protocol.grpc.FileChunk;
import dev.handoff.protocol.grpc.PartStoreGrpc;
import dev.handoff.testkit.SharedKafkaTest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** PartStore.Fetch against hostile callers and a store changed behind the producer's back. */
class HostileFetchIT extends SharedKafkaTest {
    private static final String NODE = "127.0.0.1:1";

    @Test
    void shouldRefuseHostileKeysAndOversizedRequestsNamingTheFieldAndKeepServing() throws Exception {
        // Given a producer with one stored bundle
        ProducerSettings settings = Fixtures.settings(KAFKA, tmp.resolve("store"), "hostile").build();
        PartKey part = new PartKey("hostile", "g", 0, 1L);
        Path core = Fixtures.typeDir(tmp.resolve("src"), "core", Map.of("a.bin", bytes(3_000_000, 1)));
        try (HandoffProducer producer = Fixtures.started(settings)) {
            producer.enqueue(Bundle.of(part, new Bundle.Type("core", core, Map.of())), List.of(NODE));
            ManagedChannel channel = GrpcChannels.open(producer.advertisedAddress(), null);
            try {
                // When keys break the name rules or name another liaison, Then INVALID_ARGUMENT names the field
                Map<String, Consumer<dev.handoff.protocol.grpc.PartKey.Builder>> hostile = Map.of(
                    "liaison ", k -> k.setLiaison("other"),
                    "liaison \"../x\"", k -> k.setLiaison("../x"),
                    "group \"a/b\"", k -> k.setGroup("a/b"),
                    "group \"nul", k -> k.setGroup("nul\u0000x"),
                    "group \"" + "x".repeat(20), k -> k.setGroup("x".repeat(129)));
                hostile.forEach((expected, change) -> {
                    dev.handoff.protocol.grpc.PartKey.Builder key = dev.handoff.protocol.grpc.PartKey.newBuilder()
                        .setLiaison("hostile").setGroup("g").setShard(0).setPartId(1);
                    change.accept(key);
                    assertThatThrownBy(() -> FetchClient.fetch(channel, key.build(), 0))
                        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                            assertThat(e.getStatus().getDescription()).startsWith(expected);
                        });
                });

                // And a request bigger than the inbound limit is refused RESOURCE_EXHAUSTED
                FetchRequest huge = FetchRequest.newBuilder().setPart(dev.handoff.protocol.grpc.PartKey.newBuilder()
                    .setLiaison("hostile").setGroup("g".repeat(GrpcServer.MAX_INBOUND_MESSAGE_BYTES + 1))).build();
                assertThatThrownBy(() -> PartStoreGrpc.newBlockingStub(channel).fetch(huge).forEachRemaining(c -> { }))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));

                // And a client that disconnects after the first chunk leaves the server serving
                ManagedChannel leaving = GrpcChannels.open(producer.advertisedAddress(), null);
                Iterator<FileChunk> chunks = PartStoreGrpc.newBlockingStub(leaving).fetch(FetchRequest.newBuilder()
                    .setPart(dev.handoff.protocol.grpc.ProtoMapping.toProto(part)).setChunkSize(64 * 1024).build());
                assertThat(chunks.next().getData().size()).isEqualTo(64 * 1024);
                leaving.shutdownNow();

                // Then the whole bundle is still served, intact
                assertThat(FetchClient.fetch(channel, dev.handoff.protocol.grpc.ProtoMapping.toProto(part), 0))
                    .containsEntry("core/a.bin", new FetchClient.Received(3_000_000,
                        Checksums.crc32c(core.resolve("a.bin")), 3));
            } finally {
                GrpcChannels.close(channel);
            }
        }
    }

    @Test
    void shouldFailWithDataLossInsteadOfServingAStoredFileWhoseSizeOrChecksumChanged() throws Exception {
        // Given two stored bundles whose files are links to the liaison's files
        ProducerSettings settings = Fixtures.settings(KAFKA, tmp.resolve("store"), "changed").build();
        PartKey sameSize = new PartKey("changed", "g", 0, 1L);
        PartKey grown = new PartKey("changed", "g", 0, 2L);
        Path a = Fixtures.typeDir(tmp.resolve("a"), "core", Map.of("a.bin", bytes(5_000, 1)));
        Path b = Fixtures.typeDir(tmp.resolve("b"), "core", Map.of("b.bin", bytes(5_000, 2)));
        try (HandoffProducer producer = Fixtures.started(settings)) {
            producer.enqueue(Bundle.of(sameSize, new Bundle.Type("core", a, Map.of())), List.of(NODE));
            producer.enqueue(Bundle.of(grown, new Bundle.Type("core", b, Map.of())), List.of(NODE));

            // When one file is rewritten in place with other bytes of the same size, and the other grows
            Files.write(a.resolve("a.bin"), bytes(5_000, 9), StandardOpenOption.WRITE);
            Files.write(b.resolve("b.bin"), new byte[] {1}, StandardOpenOption.APPEND);

            // Then each Fetch fails DATA_LOSS naming the file, rather than shipping bytes the record does not describe
            for (PartKey part : List.of(sameSize, grown)) {
                assertThatThrownBy(() -> FetchClient.fetch(producer.advertisedAddress(), part, 1_000))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DATA_LOSS);
                        assertThat(e.getStatus().getDescription()).contains("core/");
                    });
            }
        }
    }
}
