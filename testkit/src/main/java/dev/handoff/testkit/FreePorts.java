package dev.handoff.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Free loopback ports for tests that must know addresses before their servers start. */
public final class FreePorts {
    private FreePorts() {
    }

    /**
     * {@code n} distinct ports free at the time of the call: all are held open together while chosen, so the
     * kernel cannot hand out the same ephemeral port twice (choosing one at a time can).
     */
    public static int[] take(int n) throws IOException {
        int[] ports = new int[n];
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket();
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress("127.0.0.1", 0));
                held.add(s);
                ports[i] = s.getLocalPort();
            }
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
        return ports;
    }
}
