package dev.handoff.e2e.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.producer.HandoffProducer;
import dev.handoff.producer.ProducerSettings;
import dev.handoff.protocol.InvalidFieldException;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.common.KafkaSettings;
import dev.handoff.protocol.common.TlsConfig;
import dev.handoff.protocol.grpc.EnqueueRequest;
import dev.handoff.protocol.grpc.EnqueueType;
import dev.handoff.protocol.grpc.LiaisonGrpc;
import dev.handoff.protocol.grpc.ProtoMapping;
import dev.handoff.testkit.KafkaClusterExtension;
import dev.handoff.testkit.TestCertificates;
import dev.handoff.testkit.SharedKafkaTest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NegotiationType;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collections;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, item 8: {@code handoff.v1.Liaison.Enqueue} has a listener of its own, on loopback by default, and binds
 * beyond it only with mTLS. Dialled from this host's non-loopback address, as a client on the network would.
 */
class EnqueueListenerIT extends SharedKafkaTest {
    private static final String NODE = "127.0.0.1:9";

    @TempDir
    static Path certs;

    static TestCertificates ca;
    static TestCertificates other;

    @BeforeAll
    static void issue() throws Exception {
        ca = TestCertificates.create(certs.resolve("ca"), "handoff-test-ca", "producer", "operator");
        other = TestCertificates.create(certs.resolve("other"), "someone-else", "stranger");
    }

    /** An address of this host that is not loopback: what a client elsewhere on the network reaches. */
    private static String nonLoopbackAddress() throws Exception {
        Optional<InetAddress> found = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
            .filter(i -> {
                try {
                    return i.isUp() && !i.isLoopback();
                } catch (java.net.SocketException e) {
                    return false;
                }
            })
            .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
            .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
            .findFirst();
        Assumptions.assumeTrue(found.isPresent(), "this host has no non-loopback IPv4 address");
        return found.get().getHostAddress();
    }

    private ProducerSettings.Builder settings(Path root) {
        return ProducerSettings.builder(tmp.resolve("store"), "liaison-door", KafkaSettings.of(KAFKA.bootstrapServers()))
            .topicPrefix(KafkaClusterExtension.unique("door")).listen("localhost", 0).enqueueRoot(root);
    }

    private static EnqueueRequest request(Path core, long partId) {
        return EnqueueRequest.newBuilder().setPart(ProtoMapping.toProto(new PartKey("liaison-door", "g", 0, partId)))
            .addTypes(EnqueueType.newBuilder().setType("core").setDirectory(core.toString()))
            .addNodes(NODE).build();
    }

    private static Path part(Path root) throws Exception {
        Path core = Files.createDirectories(root.resolve("part/core"));
        Files.write(core.resolve("primary.bin"), new byte[] {1, 2, 3});
        return core;
    }

    /** A channel to {@code host:port}; TLS with {@code tls} (authority localhost, the test certificates' name). */
    private static ManagedChannel channel(String host, int port, TlsConfig tls) throws Exception {
        NettyChannelBuilder b = NettyChannelBuilder.forAddress(host, port);
        if (tls == null) {
            b.usePlaintext();
        } else {
            SslContextBuilder ssl = GrpcSslContexts.forClient().trustManager(tls.trustCerts().toFile());
            if (tls.hasIdentity()) {
                ssl.keyManager(tls.certChain().toFile(), tls.privateKey().toFile());
            }
            b.sslContext(ssl.build()).negotiationType(NegotiationType.TLS).overrideAuthority("localhost");
        }
        return b.build();
    }

    /** One Enqueue call on a channel of its own to {@code host:port} ({@link #channel}), closed after it. */
    private static void enqueue(String host, int port, TlsConfig tls, EnqueueRequest request) throws Exception {
        ManagedChannel channel = channel(host, port, tls);
        try {
            LiaisonGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).enqueue(request);
        } finally {
            channel.shutdownNow();
        }
    }

    /** {@link #enqueue} fails UNAVAILABLE: the client never got a call through (no connection, or no handshake). */
    private static void assertUnavailable(String host, int port, TlsConfig tls, EnqueueRequest request) {
        assertThatThrownBy(() -> enqueue(host, port, tls, request))
            .satisfies(e -> assertThat(codeOf(e)).isEqualTo(Status.Code.UNAVAILABLE));
    }

    private static Status.Code codeOf(Throwable e) {
        return ((StatusRuntimeException) e).getStatus().getCode();
    }

    @Test
    void shouldListenOnLoopbackOnlyByDefaultSoANetworkClientCannotReachEnqueue() throws Exception {
        String external = nonLoopbackAddress();
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path core = part(root);
        // Given a producer serving Enqueue with the default listener (127.0.0.1, here on a free port)
        try (HandoffProducer producer = new HandoffProducer(settings(root).enqueueListen("127.0.0.1", 0).build(),
            new SimpleMeterRegistry(), Clock.systemUTC())) {
            producer.start();
            // When a client dials it on this host's network address / Then it cannot connect, nothing is stored
            assertUnavailable(external, producer.enqueuePort(), null, request(core, 1));
            assertThat(producer.usedBytes()).isZero();
            // And on loopback it is served
            enqueue("127.0.0.1", producer.enqueuePort(), null, request(core, 2));
            assertThat(producer.usedBytes()).isEqualTo(3);
        }
    }

    @Test
    void shouldRefuseToBindBeyondLoopbackWithoutMutualTls() {
        Path root = tmp.resolve("root");
        assertThatThrownBy(() -> settings(root).enqueueListen("0.0.0.0", 0).build())
            .isInstanceOf(InvalidFieldException.class).hasMessageContaining("enqueueListenHost")
            .hasMessageContaining("mTLS");
        TestCertificates.Identity id = ca.identity("producer");
        assertThatThrownBy(() -> settings(root).enqueueListen("0.0.0.0", 0)
            .enqueueTls(new TlsConfig(id.certChain(), id.privateKey(), null)).build())
            .isInstanceOf(InvalidFieldException.class).hasMessageContaining("enqueueListenHost");
    }

    @Test
    void shouldRefuseANetworkClientWithoutATrustedCertificateAndServeOneWithIt() throws Exception {
        String external = nonLoopbackAddress();
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path core = part(root);
        TestCertificates.Identity server = ca.identity("producer");
        // Given Enqueue on every interface, with mTLS (clients must present a certificate from the test CA)
        try (HandoffProducer producer = new HandoffProducer(settings(root).enqueueListen("0.0.0.0", 0)
            .enqueueTls(new TlsConfig(server.certChain(), server.privateKey(), ca.caCert())).build(),
            new SimpleMeterRegistry(), Clock.systemUTC())) {
            producer.start();
            int port = producer.enqueuePort();
            TestCertificates.Identity stranger = other.identity("stranger");
            TestCertificates.Identity operator = ca.identity("operator");
            // When a network client enqueues in plaintext, over TLS without a certificate, or with one of another CA
            for (TlsConfig tls : new TlsConfig[] {null, new TlsConfig(null, null, ca.caCert()),
                new TlsConfig(stranger.certChain(), stranger.privateKey(), ca.caCert())}) {
                // Then each is refused in the handshake, and nothing is stored
                assertUnavailable(external, port, tls, request(core, 1));
            }
            assertThat(producer.usedBytes()).isZero();
            // And a client with a trusted certificate is served
            enqueue(external, port, new TlsConfig(operator.certChain(), operator.privateKey(), ca.caCert()),
                request(core, 2));
            assertThat(producer.usedBytes()).isEqualTo(3);
        }
    }
}
