package dev.handoff.producer;

import static dev.handoff.producer.Fixtures.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.common.Checksums;
import dev.handoff.protocol.common.GrpcChannels;
import dev.handoff.testkit.SharedKafkaTest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PartStoreFetchIT extends SharedKafkaTest {
    @Test
    void shouldStreamEveryFileInManifestOrderAndRefuseUnknownOrBadParts() throws Exception {
        // Given a stored bundle of two types, one file empty
        Map<String, byte[]> core = new LinkedHashMap<>();
        core.put("b.bin", bytes(2_500, 1));
        core.put("a.bin", new byte[0]);
        Path src = tmp.resolve("src");
        Path coreDir = Fixtures.typeDir(src, "core", core);
        Path sidxDir = Fixtures.typeDir(src, "sidx_x", Map.of("k.bin", bytes(999, 2)));
        ProducerSettings settings = Fixtures.settings(KAFKA, tmp.resolve("store"), "fetch").build();
        PartKey part = new PartKey("fetch", "g", 0, 5L);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (HandoffProducer producer = Fixtures.started(settings, registry)) {
            producer.enqueue(Bundle.of(part, new Bundle.Type("core", coreDir, Map.of()),
                new Bundle.Type("sidx_x", sidxDir, Map.of())), List.of("127.0.0.1:1"));

            // When it is fetched in 1,000-byte chunks
            Map<String, FetchClient.Received> got = FetchClient.fetch(producer.advertisedAddress(), part, 1_000);

            // Then files arrive in manifest order (types in order, files by name) with sizes and CRC32C
            assertThat(got.keySet()).containsExactly("core/a.bin", "core/b.bin", "sidx_x/k.bin");
            assertThat(got.get("core/a.bin")).isEqualTo(new FetchClient.Received(0, 0, 1));
            assertThat(got.get("core/b.bin")).isEqualTo(new FetchClient.Received(2_500, Checksums.crc32c(core.get("b.bin")), 3));
            assertThat(got.get("sidx_x/k.bin").crc32c()).isEqualTo(Checksums.crc32c(sidxDir.resolve("k.bin")));
            assertThat(registry.get("handoff.fetch.bytes").counter().count()).isEqualTo(3_499.0);

            // and an unknown part is NOT_FOUND, a bad key INVALID_ARGUMENT, and grpc.health.v1 is served
            assertThatThrownBy(() -> FetchClient.fetch(producer.advertisedAddress(), new PartKey("fetch", "g", 0, 6L), 0))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                    e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
            ManagedChannel channel = GrpcChannels.open(producer.advertisedAddress(), null);
            try {
                dev.handoff.protocol.grpc.PartKey bad = dev.handoff.protocol.grpc.PartKey.newBuilder()
                    .setLiaison("fetch").setGroup("../etc").setShard(0).setPartId(5).build();
                assertThatThrownBy(() -> FetchClient.fetch(channel, bad, 0))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                        assertThat(e.getStatus().getDescription()).startsWith("group ");
                    });
                assertThat(HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance()).getStatus())
                    .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
            } finally {
                GrpcChannels.close(channel);
            }
        }
    }
}
