package dev.handoff.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handoff.protocol.Health;
import dev.handoff.protocol.HealthEvent;
import dev.handoff.testkit.MutableClock;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** When an UP node is checked again is decided by the monitor's Clock (a real gRPC health server on localhost). */
class HealthMonitorTest {
    private static final Duration INTERVAL = Duration.ofSeconds(30);

    private final AtomicInteger checks = new AtomicInteger();
    private Server server;
    private String node;

    @BeforeEach
    void startServingNode() throws Exception {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("localhost", 0)).addService(new HealthGrpc.HealthImplBase() {
            @Override
            public void check(HealthCheckRequest request, StreamObserver<HealthCheckResponse> response) {
                checks.incrementAndGet();
                response.onNext(HealthCheckResponse.newBuilder().setStatus(HealthCheckResponse.ServingStatus.SERVING).build());
                response.onCompleted();
            }
        }).build().start();
        node = "localhost:" + server.getPort();
    }

    @AfterEach
    void stopNode() throws Exception {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void shouldCheckAnUpNodeAgainOnlyOnceTheClockPassedTheInterval() {
        // Given a monitor on a clock that moves only when the test says, and a node found UP
        MutableClock clock = new MutableClock(Instant.ofEpochMilli(1_000_000));
        List<HealthEvent> events = new CopyOnWriteArrayList<>();
        try (HealthMonitor monitor = new HealthMonitor("producer:l1", INTERVAL, Duration.ofSeconds(5), Duration.ofHours(1),
            null, clock, events::add, new MicrometerProducerMetrics(new SimpleMeterRegistry()))) {
            monitor.watch(node);
            monitor.checkAll();
            await().atMost(Duration.ofSeconds(10)).until(() -> monitor.status(node) == Health.UP && !monitor.checking(node));
            assertThat(checks).hasValue(1);
            assertThat(events).extracting(HealthEvent::status, HealthEvent::at).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Health.UP, 1_000_000L));

            // When ticks come before the interval has passed on the clock
            clock.advance(INTERVAL.minusMillis(1));
            monitor.checkAll();

            // Then no check starts
            assertThat(monitor.checking(node)).isFalse();
            assertThat(checks).hasValue(1);

            // When the clock reaches the interval
            clock.advance(Duration.ofMillis(1));
            monitor.checkAll();

            // Then the node is checked again
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(checks).hasValue(2));
        }
    }
}
