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
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The watch that lets the health monitor check a returning node the moment its channel connects, on real gRPC. */
class ReadyWatchTest {
    private final ReadyWatch watch = new ReadyWatch();

    @Test
    void shouldRunTheCallbackOnceWhenAFailedChannelConnects() throws Exception {
        // Given a channel to a port where nothing listens, failed, and a watch on it
        int port = FreePorts.take(1)[0];
        ManagedChannel channel = failedChannel(port);
        AtomicInteger ready = new AtomicInteger();
        try {
            watch.whenReady(channel, () -> false, ready::incrementAndGet);
            watch.whenReady(channel, () -> false, ready::incrementAndGet);
            assertThat(watch.watching(channel)).isTrue();
            assertThat(ready).hasValue(0);

            // When a server starts there and the channel reconnects
            Server server = Grpc.newServerBuilderForPort(port, InsecureServerCredentials.create()).build().start();
            try {
                channel.resetConnectBackoff();

                // Then the callback runs once (the second watch was not registered), and the watch is over
                await().atMost(Duration.ofSeconds(20)).until(() -> ready.get() == 1);
                assertThat(watch.watching(channel)).isFalse();
                assertThat(channel.getState(false)).isEqualTo(ConnectivityState.READY);
                assertThat(ready).hasValue(1);
            } finally {
                server.shutdownNow();
            }
        } finally {
            GrpcChannels.close(channel);
        }
    }

    @Test
    void shouldEndWithoutTheCallbackOnceStopHolds() throws Exception {
        // Given a failed channel watched with a stop condition that already holds (the node was seen UP meanwhile)
        int port = FreePorts.take(1)[0];
        ManagedChannel channel = failedChannel(port);
        AtomicInteger ready = new AtomicInteger();
        try {
            watch.whenReady(channel, () -> true, ready::incrementAndGet);

            // When a server starts there and the channel reconnects
            Server server = Grpc.newServerBuilderForPort(port, InsecureServerCredentials.create()).build().start();
            try {
                channel.resetConnectBackoff();
                await().atMost(Duration.ofSeconds(20)).until(() -> !watch.watching(channel));
                await().atMost(Duration.ofSeconds(20)).until(() -> channel.getState(true) == ConnectivityState.READY);

                // Then the watch ended and never ran the callback
                assertThat(ready).hasValue(0);
            } finally {
                server.shutdownNow();
            }
        } finally {
            GrpcChannels.close(channel);
        }
    }

    /** A channel to {@code port}, where nothing listens, once it has failed to connect. */
    private static ManagedChannel failedChannel(int port) {
        ManagedChannel channel = GrpcChannels.open("localhost:" + port, null);
        channel.getState(true);
        await().atMost(Duration.ofSeconds(20)).until(() -> channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE);
        return channel;
    }
}
