package dev.handoff.e2e.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.handoff.datanode.DataNode;
import dev.handoff.datanode.DataNodeSettings;
import dev.handoff.producer.Bundle;
import dev.handoff.producer.HandoffProducer;
import dev.handoff.producer.ProducerSettings;
import dev.handoff.protocol.FileEntry;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.PartTypeEntry;
import dev.handoff.protocol.common.Checksums;
import dev.handoff.protocol.common.GrpcChannels;
import dev.handoff.protocol.common.KafkaSettings;
import dev.handoff.protocol.common.TlsConfig;
import dev.handoff.protocol.grpc.FetchRequest;
import dev.handoff.protocol.grpc.PartStoreGrpc;
import dev.handoff.replayer.Replayer;
import dev.handoff.replayer.ReplayerSettings;
import dev.handoff.testkit.KafkaClusterExtension;
import dev.handoff.testkit.TestCertificates;
import dev.handoff.testkit.SharedKafkaTest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckResponse;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS and mutual TLS on every gRPC hop, with certificates made at test time: the producer's PartStore
 * server and health-check client, the data node's PartSync server, the replayer's fetch and sync clients.
 */
class TlsIT extends SharedKafkaTest {
    @TempDir
    static Path certDir;
    static TestCertificates ca;
    static TestCertificates.Identity producerId;
    static TestCertificates.Identity dataNodeId;
    static TestCertificates.Identity replayerId;
    static TestCertificates.Identity intruderId;

    @BeforeAll
    static void issueCertificates() throws Exception {
        ca = TestCertificates.create(certDir.resolve("ca"), "handoff-test-ca", "producer", "datanode", "replayer");
        producerId = ca.identity("producer");
        dataNodeId = ca.identity("datanode");
        replayerId = ca.identity("replayer");
        intruderId = TestCertificates.create(certDir.resolve("rogue"), "rogue-ca", "intruder").identity("intruder");
    }

    /** mTLS: present {@code id}, trust only the test CA. */
    static TlsConfig mutual(TestCertificates.Identity id) {
        return new TlsConfig(id.certChain(), id.privateKey(), ca.caCert());
    }

    @Test
    void shouldDeliverABundleOverMutualTlsOnEveryHop() throws Exception {
        // Given a data node and a producer that both require client certificates from the test CA,
        // the producer health-checking the node over mTLS
        try (DataNode node = new DataNode(DataNodeSettings.builder(tmp.resolve("node")).listen("localhost", 0).tls(mutual(dataNodeId)).build()).start()) {
            SimpleMeterRegistry producerMetrics = new SimpleMeterRegistry();
            String prefix = KafkaClusterExtension.unique("tls");
            ProducerSettings ps = ProducerSettings.builder(tmp.resolve("store"), "liaison-tls",
                    KafkaSettings.of(KAFKA.bootstrapServers()))
                .topicPrefix(prefix).listen("localhost", 0).nodes(List.of(node.address()))
                .healthInterval(Duration.ofMillis(200)).healthTimeout(Duration.ofSeconds(5))
                .serverTls(mutual(producerId)).clientTls(mutual(producerId)).build();
            try (HandoffProducer producer = new HandoffProducer(ps, producerMetrics, Clock.systemUTC())) {
                producer.start();
                PartKey part = new PartKey("liaison-tls", "g", 0, 42L);
                byte[] data = "bytes that travel encrypted".getBytes();
                Path core = Files.createDirectories(tmp.resolve("src/core"));
                Files.write(core.resolve("data.bin"), data);
                producer.enqueue(Bundle.of(part, new Bundle.Type("core", core, Map.of())), List.of(node.address()));

                // When a replayer fetches and syncs over mTLS with its own certificate
                ReplayerSettings rs = ReplayerSettings.builder(KafkaSettings.of(KAFKA.bootstrapServers()))
                    .topicPrefix(prefix).groupId(KafkaClusterExtension.unique("g")).instanceId("tls-1")
                    .backoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                    .fetchTls(mutual(replayerId)).syncTls(mutual(replayerId)).build();
                try (Replayer replayer = new Replayer(rs, new SimpleMeterRegistry(), Clock.systemUTC())) {
                    replayer.start();

                    // Then the bundle is applied once with identical bytes
                    await().atMost(Duration.ofSeconds(60)).until(() -> node.appliedCount(part) == 1);
                }
                assertThat(node.verify(part, List.of(new PartTypeEntry("core",
                    List.of(new FileEntry("data.bin", data.length, Checksums.crc32c(data))), Map.of())))).isEmpty();
                // And the producer's health checks reached the node over mTLS (UP was seen)
                assertThat(producerMetrics.get("handoff.health.transitions").tag("node", node.address())
                    .tag("outcome", "UP").counter().count()).isGreaterThanOrEqualTo(1.0);
            }
        }
    }

    @Test
    void shouldRefuseClientsWithoutATrustedCertificateAndApplyNothing() throws Exception {
        // Given a data node that requires client certificates from the test CA
        try (DataNode node = new DataNode(DataNodeSettings.builder(tmp.resolve("node")).listen("localhost", 0).tls(mutual(dataNodeId)).build()).start()) {
            dev.handoff.protocol.grpc.PartKey part = dev.handoff.protocol.grpc.PartKey.newBuilder()
                .setLiaison("l").setGroup("g").setShard(0).setPartId(7).build();
            TlsConfig foreignCert = new TlsConfig(intruderId.certChain(), intruderId.privateKey(), ca.caCert());
            TlsConfig noCert = new TlsConfig(null, null, ca.caCert());

            // When a client presents a certificate of another CA, or none at all, Then the session is refused
            for (TlsConfig client : List.of(foreignCert, noCert)) {
                assertThatThrownBy(() -> Grpc.syncOneFile(node.address(), client, part))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
            }
            // And nothing was applied or left on disk
            assertThat(node.totalApplied()).isZero();
            try (Stream<Path> parts = Files.list(node.dataDir().resolve("parts"))) {
                assertThat(parts).isEmpty();
            }
            // While a client with a certificate of the test CA is served
            assertThat(Grpc.syncOneFile(node.address(), mutual(replayerId), part).getStatus())
                .isEqualTo(dev.handoff.protocol.grpc.SyncResponse.Status.APPLIED);
        }
    }

    @Test
    void shouldRefuseAFetchFromAClientWithoutATrustedCertificate() throws Exception {
        // Given a producer whose PartStore requires client certificates from the test CA
        ProducerSettings ps = ProducerSettings.builder(tmp.resolve("store"), "liaison-fetch",
                KafkaSettings.of(KAFKA.bootstrapServers()))
            .topicPrefix(KafkaClusterExtension.unique("tls")).listen("localhost", 0).serverTls(mutual(producerId)).build();
        try (HandoffProducer producer = new HandoffProducer(ps, new SimpleMeterRegistry(), Clock.systemUTC())) {
            producer.start();
            FetchRequest request = FetchRequest.newBuilder().setPart(dev.handoff.protocol.grpc.PartKey.newBuilder()
                .setLiaison("liaison-fetch").setGroup("g").setShard(0).setPartId(1)).build();

            // When a client with a certificate of another CA fetches, Then it is refused before any answer
            assertThatThrownBy(() -> fetch(producer.advertisedAddress(),
                    new TlsConfig(intruderId.certChain(), intruderId.privateKey(), ca.caCert()), request))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                    e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
            // While a trusted client reaches the service (and learns the part is unknown)
            assertThatThrownBy(() -> fetch(producer.advertisedAddress(), mutual(replayerId), request))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                    e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        }
    }

    @Test
    void shouldFailClearlyWhenPlaintextOrAnUntrustingClientMeetsATlsServer() throws Exception {
        // Given a data node serving TLS (server authentication only)
        TlsConfig serverOnly = new TlsConfig(dataNodeId.certChain(), dataNodeId.privateKey(), null);
        try (DataNode node = new DataNode(DataNodeSettings.builder(tmp.resolve("node")).listen("localhost", 0).tls(serverOnly).build()).start()) {
            // When a plaintext client calls it, Then the call fails UNAVAILABLE instead of hanging or succeeding
            assertThatThrownBy(() -> Grpc.health(node.address(), null))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                    e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
            // And a TLS client that does not trust the server's CA fails the handshake, saying so
            assertThatThrownBy(() -> Grpc.health(node.address(), new TlsConfig(null, null, intruderId.certChain())))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                    assertThat(causes(e)).anyMatch(javax.net.ssl.SSLHandshakeException.class::isInstance)
                        .anyMatch(c -> String.valueOf(c.getMessage()).contains("PKIX path building failed"));
                });
            // While a client trusting the test CA is served
            assertThat(Grpc.health(node.address(), new TlsConfig(null, null, ca.caCert())))
                .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        }
    }

    private static List<Throwable> causes(Throwable t) {
        List<Throwable> out = new java.util.ArrayList<>();
        for (Throwable c = t; c != null && !out.contains(c); c = c.getCause()) {
            out.add(c);
        }
        return out;
    }

    private static void fetch(String address, TlsConfig tls, FetchRequest request) {
        ManagedChannel channel = GrpcChannels.open(address, tls);
        try {
            PartStoreGrpc.newBlockingStub(channel).withDeadlineAfter(java.time.Duration.ofSeconds(20))
                .fetch(request).forEachRemaining(c -> { });
        } finally {
            GrpcChannels.close(channel);
        }
    }
}
