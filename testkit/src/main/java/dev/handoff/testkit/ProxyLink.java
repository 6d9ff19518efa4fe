package dev.handoff.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection through a {@link BlackHoleProxy}: a client socket, its upstream socket, and whether it was
 * black-holed. Two threads pump it, one per direction; a black-holed link stops reading and waits for the proxy
 * to close. Thread-safe.
 */
final class ProxyLink {
    private static final Logger LOGGER = LoggerFactory.getLogger(ProxyLink.class);
    private static final int BUFFER = 64 * 1024;

    private final Socket client;
    private final Socket upstream;
    private final AtomicInteger openDirections = new AtomicInteger(2);
    private final AtomicLong forwardedBytes;
    private final CountDownLatch proxyClosed;
    private final Consumer<ProxyLink> onClose;
    private volatile boolean dead;

    ProxyLink(Socket client, Socket upstream, AtomicLong forwardedBytes, CountDownLatch proxyClosed,
              Consumer<ProxyLink> onClose) {
        this.client = client;
        this.upstream = upstream;
        this.forwardedBytes = forwardedBytes;
        this.proxyClosed = proxyClosed;
        this.onClose = onClose;
    }

    void kill() {
        dead = true;
    }

    /** Copies {@code from} to {@code to} until EOF or an error, or parks for good once black-holed. */
    void pump(Socket from, Socket to) {
        byte[] buffer = new byte[BUFFER];
        boolean ended = false;
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            while (!dead && !ended) {
                int n = in.read(buffer);
                if (n < 0) {
                    ended = true;
                } else if (!dead) {
                    out.write(buffer, 0, n);
                    forwardedBytes.addAndGet(n);
                }
                // else: read just as the partition began, dropped as on the wire
            }
            if (dead) {
                // Stop reading: the peer's window fills, nothing is closed or answered, until the proxy closes.
                proxyClosed.await();
                close();
            } else {
                to.shutdownOutput(); // a FIN goes through as a FIN
                if (openDirections.decrementAndGet() == 0) {
                    close();
                }
            }
        } catch (IOException e) {
            // A reset or a failed write on a forwarded connection ends both sides, as it would end the peer's.
            LOGGER.atDebug().addKeyValue("error", e.toString()).log("connection ended");
            close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
        }
    }

    void close() {
        onClose.accept(this);
        closeQuietly(client);
        closeQuietly(upstream);
    }

    static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing a socket we own: nothing is left to do with it, and nothing to report to a test
            LOGGER.atDebug().addKeyValue("error", e.toString()).log("close failed");
        }
    }
}
