package dev.handoff.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.common.GrpcChannels;
import dev.handoff.protocol.grpc.EnqueueRequest;
import dev.handoff.protocol.grpc.EnqueueResponse;
import dev.handoff.protocol.grpc.EnqueueType;
import dev.handoff.protocol.grpc.LiaisonGrpc;
import dev.handoff.protocol.grpc.ProtoMapping;
import dev.handoff.protocol.json.Codecs;
import dev.handoff.testkit.SharedKafkaTest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The Liaison.Enqueue service of a running producer, over real gRPC, with records checked on the real broker. */
class EnqueueServiceIT extends SharedKafkaTest {
    private static final String NODE = "127.0.0.1:7";

    private EnqueueRequest request(PartKey part, Path coreDir, String... nodes) {
        return EnqueueRequest.newBuilder().setPart(ProtoMapping.toProto(part))
            .addTypes(EnqueueType.newBuilder().setType("core").setDirectory(coreDir.toString())
                .setMetaJson("{\"minTimestamp\":5}"))
            .addAllNodes(List.of(nodes)).build();
    }

    @Test
    void shouldEnqueueThroughTheRunningProducerOnlyUnderItsEnqueueRoot() throws Exception {
        // Given a producer serving Enqueue for parts under root/
        Path root = tmp.resolve("root");
        Path core = Fixtures.typeDir(root.resolve("part"), "core", Map.of("primary.bin", new byte[] {1, 2, 3}));
        Path outside = Fixtures.typeDir(tmp.resolve("elsewhere"), "core", Map.of("primary.bin", new byte[] {4}));
        ProducerSettings settings = Fixtures.settings(KAFKA, tmp.resolve("store"), "liaison-e").enqueueRoot(root).build();
        PartKey part = new PartKey("liaison-e", "g", 1, 77L);
        try (HandoffProducer producer = Fixtures.started(settings)) {
            ManagedChannel channel = GrpcChannels.open("127.0.0.1:" + producer.enqueuePort(), null);
            ManagedChannel partStore = GrpcChannels.open(producer.advertisedAddress(), null);
            try {
                // The part store's port does not serve Enqueue: it has a listener of its own
                assertThatThrownBy(() -> LiaisonGrpc.newBlockingStub(partStore).enqueue(request(part, core, NODE)))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
                LiaisonGrpc.LiaisonBlockingStub stub = LiaisonGrpc.newBlockingStub(channel);

                // When a part under the root is enqueued
                EnqueueResponse answer = stub.enqueue(request(part, core, NODE));

                // Then its record is on the node topic, with the metadata given
                assertThat(answer.getBytes()).isEqualTo(3);
                List<ConsumerRecord<String, byte[]>> records =
                    Fixtures.readTopic(KAFKA, settings.topics().node(NODE), 1, Duration.ofSeconds(20));
                EnqueueRecord r = Codecs.ENQUEUE.decode(records.get(0).value());
                assertThat(r.part()).isEqualTo(part);
                assertThat(r.types().get(0).meta()).containsEntry("minTimestamp", 5L);

                // And a directory outside the root, a bad node and a bad type name are refused, naming the problem
                assertThatThrownBy(() -> stub.enqueue(request(new PartKey("liaison-e", "g", 1, 78L), outside, NODE)))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
                assertThatThrownBy(() -> stub.enqueue(request(new PartKey("liaison-e", "g", 1, 79L), core, "not-an-address")))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                        assertThat(e.getStatus().getDescription()).contains("nodes");
                    });
                EnqueueRequest badType = request(new PartKey("liaison-e", "g", 1, 80L), core, NODE).toBuilder()
                    .setTypes(0, EnqueueType.newBuilder().setType("../x").setDirectory(core.toString())).build();
                assertThatThrownBy(() -> stub.enqueue(badType))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                        assertThat(e.getStatus().getDescription()).contains("type");
                    });
            } finally {
                GrpcChannels.close(channel);
                GrpcChannels.close(partStore);
            }
        }
    }

    @Test
    void shouldNotServeEnqueueWithoutAnEnqueueRoot() throws Exception {
        // Given a producer without an enqueue root
        ProducerSettings settings = Fixtures.settings(KAFKA, tmp.resolve("store"), "liaison-f").build();
        Path core = Fixtures.typeDir(tmp.resolve("part"), "core", Map.of("primary.bin", new byte[] {1}));
        try (HandoffProducer producer = Fixtures.started(settings)) {
            assertThat(producer.enqueuePort()).isEqualTo(-1);
            ManagedChannel channel = GrpcChannels.open(producer.advertisedAddress(), null);
            try {
                // When / Then: the service is not there at all
                assertThatThrownBy(() -> LiaisonGrpc.newBlockingStub(channel)
                    .enqueue(request(new PartKey("liaison-f", "g", 0, 1L), core, NODE)))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
            } finally {
                GrpcChannels.close(channel);
            }
        }
    }
}
