package dev.handoff.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handoff.protocol.common.GrpcChannels;
import dev.handoff.testkit.FreePorts;
import io.grpc.ConnectivityState;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The watch that lets the health monitor check a returning node the moment its channel connects, on real gRPC: a
 * channel to a port where nothing listens, failed, then a server started there.
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

    private void serveAndReconnect() throws IOException {
        server = Grpc.newServerBuilderForPort(port, InsecureServerCredentials.create()).build().start();
        channel.resetConnectBackoff();
    }
}
