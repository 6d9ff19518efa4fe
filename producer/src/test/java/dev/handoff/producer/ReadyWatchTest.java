package dev.handoff.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handoff.protocol.common.GrpcChannels;
import dev.handoff.protocol.common.Reconnects;
import dev.handoff.testkit.FreePorts;
import io.grpc.ConnectivityState;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The two ways a returning node's failed channel is followed, on real gRPC (a channel to a port where nothing
 * listens, failed, then a server started there): the watch that lets the health monitor check the node the moment
 * its channel connects, and {@link Reconnects}, with which a replayer's delivery waits for the connection
 * instead of failing at once.
 */
class ReadyWatchTest {
    private final ReadyWatch watch = new ReadyWatch();
    private final AtomicInteger ready = new AtomicInteger();
    private int port;
    private ManagedChannel channel;
    private Server server;

    @BeforeEach
    void failedChannel() throws IOException {
        port = FreePorts.take(1)[0];
        channel = GrpcChannels.open("localhost:" + port, null);
        channel.getState(true);
        await().atMost(Duration.ofSeconds(20)).until(() -> channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE);
    }

    @AfterEach
    void close() {
        if (server != null) {
            server.shutdownNow();
        }
        GrpcChannels.close(channel);
    }

    @Test
    void shouldRunTheCallbackOnceWhenAFailedChannelConnects() throws Exception {
        // Given two watches asked for on the failed channel
        watch.whenReady(channel, () -> false, ready::incrementAndGet);
        watch.whenReady(channel, () -> false, ready::incrementAndGet);
        assertThat(watch.watching(channel)).isTrue();
        assertThat(ready).hasValue(0);

        // When a server starts on its port and the channel reconnects
        serveAndReconnect();

        // Then the callback runs once (the second watch was not registered), and the watch is over
        await().atMost(Duration.ofSeconds(20)).until(() -> ready.get() == 1);
        assertThat(watch.watching(channel)).isFalse();
        assertThat(channel.getState(false)).isEqualTo(ConnectivityState.READY);
        assertThat(ready).hasValue(1);
    }

    @Test
    void shouldEndWithoutTheCallbackOnceStopHolds() throws Exception {
        // Given a watch whose stop condition already holds (the node was seen UP meanwhile)
        watch.whenReady(channel, () -> true, ready::incrementAndGet);

        // When a server starts on its port and the channel connects
        serveAndReconnect();
        await().atMost(Duration.ofSeconds(20)).until(() -> channel.getState(true) == ConnectivityState.READY);

        // Then the watch ended and never ran the callback
        assertThat(watch.watching(channel)).isFalse();
        assertThat(ready).hasValue(0);
    }

    @Test
    void shouldLetACallAfterReconnectReachANodeThatCameBack() throws Exception {
        // Given a server started on the failed channel's port (gRPC's own reconnect backoff still running)
        server = Grpc.newServerBuilderForPort(port, InsecureServerCredentials.create()).build().start();

        // When the channel is reconnected and awaited, then called at once
        new Reconnects().reconnect(channel, Duration.ofSeconds(10));
        Status.Code code = checkHealth();

        // Then the call reached the server (which has no health service) instead of failing as unavailable
        assertThat(code).isEqualTo(Status.Code.UNIMPLEMENTED);
        assertThat(channel.getState(false)).isEqualTo(ConnectivityState.READY);
    }

    @Test
    void shouldGiveUpReconnectingAfterItsWaitWhenNothingListensAndKeepOneListener() throws Exception {
        // Given the failed channel and nothing on its port
        Reconnects reconnects = new Reconnects();
        long t0 = System.nanoTime();

        // When it is reconnected twice with a wait of 300 ms
        reconnects.reconnect(channel, Duration.ofMillis(300));
        reconnects.reconnect(channel, Duration.ofMillis(300));

        // Then each wait ran out, the channel is still failed, and one state listener is pending for it
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(600));
        assertThat(channel.getState(false)).isEqualTo(ConnectivityState.TRANSIENT_FAILURE);
        assertThat(reconnects.pending()).isEqualTo(1);

        // And once a server starts there and the channel connects, the listener has fired and is gone
        serveAndReconnect();
        await().atMost(Duration.ofSeconds(20)).until(() -> reconnects.pending() == 0);
        assertThat(channel.getState(false)).isEqualTo(ConnectivityState.READY);
    }

    private Status.Code checkHealth() {
        try {
            HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .check(HealthCheckRequest.getDefaultInstance());
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }

    private void serveAndReconnect() throws IOException {
        server = Grpc.newServerBuilderForPort(port, InsecureServerCredentials.create()).build().start();
        channel.resetConnectBackoff();
    }
}
