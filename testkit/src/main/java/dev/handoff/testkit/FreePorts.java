package dev.handoff.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports for tests that must know addresses before their servers start (a data node that comes up
 * later, a broker restarted on its old port).
 *
 * <p>The ports are chosen outside the kernel's ephemeral range. A port from {@code bind(0)} is an ephemeral port, and
 * once it is closed the kernel may give it to any outgoing connection (a Kafka client's, say) as its local port; a
 * server that binds it a minute later then fails with "Address already in use". Outgoing connections never take a
 * port outside the ephemeral range, so a port chosen there stays free until someone binds it on purpose.
 */
public final class FreePorts {
    /** Where Linux says the ephemeral range is. */
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    /** Linux's default ephemeral range, used where the file cannot be read. */
    private static final int[] DEFAULT_EPHEMERAL = {32768, 60999};
    /** Below this are well-known and registered ports that local services tend to use. */
    private static final int LOWEST = 10_000;
    private static final int ATTEMPTS = 10_000;
    /** Ports this JVM has handed out: never handed out twice, even when the first taker has not bound it yet. */
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private FreePorts() {
    }

    /** {@code n} distinct ports, outside the ephemeral range, free on the loopback address at the time of the call. */
    public static synchronized int[] take(int n) throws IOException {
        int[] window = window(ephemeralRange());
        int[] ports = new int[n];
        int found = 0;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; found < n && attempt < ATTEMPTS; attempt++) {
            int port = random.nextInt(window[0], window[1] + 1);
            if (!HANDED_OUT.contains(port) && bindable(port)) {
                HANDED_OUT.add(port);
                ports[found++] = port;
            }
        }
        if (found < n) {
            throw new IOException("no " + n + " free loopback ports in " + window[0] + "-" + window[1]
                + " (outside the ephemeral range) after " + ATTEMPTS + " attempts");
        }
        return ports;
    }

    /** The ports to choose from: below the ephemeral range if there is room, else above it. */
    static int[] window(int[] ephemeral) {
        if (ephemeral[0] - 1 - LOWEST >= 1_000) {
            return new int[] {LOWEST, ephemeral[0] - 1};
        }
        if (65_535 - ephemeral[1] >= 1_000) {
            return new int[] {ephemeral[1] + 1, 65_535};
        }
        throw new IllegalStateException("the ephemeral range " + ephemeral[0] + "-" + ephemeral[1]
            + " leaves no room for test ports; narrow it in " + EPHEMERAL_RANGE);
    }

    /** Read with readAllLines: on some kernels /proc reports size 0 and Files.readString returns one byte. */
    private static int[] ephemeralRange() {
        try {
            String[] bounds = Files.readAllLines(EPHEMERAL_RANGE).get(0).trim().split("\\s+");
            return new int[] {Integer.parseInt(bounds[0]), Integer.parseInt(bounds[1])};
        } catch (IOException notLinux) {
            return DEFAULT_EPHEMERAL.clone();
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
