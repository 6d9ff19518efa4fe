package dev.handoff.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FreePortsTest {
    @Test
    void shouldHandOutDistinctBindablePortsOutsideTheEphemeralRange() throws Exception {
        // Given the kernel's ephemeral range, from which outgoing connections take their local ports
        String[] range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim().split("\\s+");
        int low = Integer.parseInt(range[0]);
        int high = Integer.parseInt(range[1]);
        // When ports are taken in two calls
        int[] first = FreePorts.take(100);
        int[] second = FreePorts.take(100);
        // Then no port is handed out twice, none is one an outgoing connection could be given, and each can be bound
        Set<Integer> all = Arrays.stream(first).boxed().collect(Collectors.toSet());
        all.addAll(Arrays.stream(second).boxed().toList());
        assertThat(all).hasSize(200);
        assertThat(all).allSatisfy(p -> assertThat(p < low || p > high).as("port %d outside %d-%d", p, low, high).isTrue());
        for (int port : first) {
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress("127.0.0.1", port));
                assertThat(s.getLocalPort()).isEqualTo(port);
            }
        }
    }

    @Test
    void shouldChooseBelowTheEphemeralRangeWhenThereIsRoomAndAboveItOtherwise() {
        assertThat(FreePorts.window(new int[] {32768, 60999})).containsExactly(10_000, 32767);
        assertThat(FreePorts.window(new int[] {1024, 49151})).containsExactly(49152, 65535);
        assertThatThrownBy(() -> FreePorts.window(new int[] {1024, 65000}))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("1024-65000");
    }
}
