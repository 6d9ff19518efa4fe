package dev.handoff.testkit;

import dev.handoff.protocol.common.Daemons;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP proxy on {@code 127.0.0.1} that can be partitioned the way a real network is: {@link #blackHole()}
 * stops every byte in both directions without closing a socket, sending RST or FIN. A black-holed
 * connection is simply no longer read, so the sender's socket buffers and TCP window fill and its writes
 * stall; connections accepted meanwhile are held open and get nothing (never refused).
 * <p>
 * {@link #heal()} forwards <em>new</em> connections again. Connections that were black-holed stay dead
 * until an endpoint gives up on them (or {@link #close()}): like a partition that outlived the TCP
 * connections across it, or a stateful firewall that lost their state, so clients must notice dead
 * connections themselves (timeouts, keepalive) and reconnect.
 * <p>
 * Each forwarded connection has two daemon threads copying through a 64 KiB buffer. Thread-safe;
 * {@link #close()} closes every socket and ends every thread.
 */
public final class BlackHoleProxy implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(BlackHoleProxy.class);
    private static final AtomicInteger IDS = new AtomicInteger();

    private final String name;
    private final ServerSocket server;
    private final InetSocketAddress target;
    private final Set<ProxyLink> links = ConcurrentHashMap.newKeySet();
    private final Set<Socket> held = ConcurrentHashMap.newKeySet();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicLong forwardedBytes = new AtomicLong();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean blackHoled;

    private BlackHoleProxy(ServerSocket server, InetSocketAddress target) {
        this.name = "black-hole-proxy-" + IDS.incrementAndGet();
        this.server = server;
        this.target = target;
    }

    /** A proxy on a free port of 127.0.0.1 forwarding to {@code targetHost:targetPort}. */
    public static BlackHoleProxy start(String targetHost, int targetPort) {
        return start(0, targetHost, targetPort);
    }

    /**
     * A proxy on {@code 127.0.0.1:listenPort} (0: a free port) forwarding to {@code targetHost:targetPort};
     * the target need not be listening yet (it is connected per accepted connection).
     */
    public static BlackHoleProxy start(int listenPort, String targetHost, int targetPort) {
        try {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), listenPort));
            BlackHoleProxy proxy = new BlackHoleProxy(server, new InetSocketAddress(targetHost, targetPort));
            daemon(proxy.name + "-accept", proxy::acceptLoop).start();
            LOGGER.atInfo().addKeyValue("proxy", proxy.address()).addKeyValue("target", targetHost + ":" + targetPort)
                .log("black-hole proxy listening");
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + listenPort, e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** {@code 127.0.0.1:<port>}, the address clients are given instead of the target's. */
    public String address() {
        return "127.0.0.1:" + port();
    }

    /** Drops every connection, open and new, into the black hole (no byte through, no socket closed). */
    public void blackHole() {
        blackHoled = true;
        links.forEach(ProxyLink::kill);
        LOGGER.atInfo().addKeyValue("proxy", address()).addKeyValue("connections", links.size()).log("black-holed");
    }

    /** Forwards new connections again; connections black-holed before stay dead (see the class comment). */
    public void heal() {
        blackHoled = false;
        LOGGER.atInfo().addKeyValue("proxy", address()).log("healed");
    }

    public boolean isBlackHoled() {
        return blackHoled;
    }

    /** Connections accepted so far, forwarded or not. */
    public int acceptedConnections() {
        return accepted.get();
    }

    /** Bytes forwarded in both directions so far. */
    public long forwardedBytes() {
        return forwardedBytes.get();
    }

    private void acceptLoop() {
        while (closed.getCount() > 0) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (closed.getCount() > 0) {
                    LOGGER.atWarn().addKeyValue("proxy", address()).addKeyValue("error", e.toString()).log("accept failed");
                }
                return;
            }
            accepted.incrementAndGet();
            if (blackHoled) {
                // Accepted (the kernel did the handshake) and never read or answered.
                hold(client);
                continue;
            }
            daemon(name + "-connect", () -> connect(client)).start();
        }
    }

    private void connect(Socket client) {
        Socket upstream = new Socket();
        try {
            upstream.connect(target, 10_000);
        } catch (IOException e) {
            // The target itself is down: the client sees what it would see without the proxy, a closed connection.
            LOGGER.atDebug().addKeyValue("target", target).addKeyValue("error", e.toString()).log("cannot connect");
            ProxyLink.closeQuietly(client);
            ProxyLink.closeQuietly(upstream);
            return;
        }
        ProxyLink link = new ProxyLink(client, upstream, forwardedBytes, closed, links::remove);
        synchronized (this) {
            // Registered under the same lock close() takes: a connection accepted while the proxy closes is
            // closed here, never left open behind it.
            if (closed.getCount() == 0) {
                ProxyLink.closeQuietly(client);
                ProxyLink.closeQuietly(upstream);
                return;
            }
            links.add(link);
        }
        if (blackHoled) {
            link.kill();
        }
        daemon(name + "-up", () -> link.pump(client, upstream)).start();
        daemon(name + "-down", () -> link.pump(upstream, client)).start();
    }

    private static Thread daemon(String name, Runnable body) {
        return Daemons.factory(name).newThread(body);
    }

    @Override
    public void close() {
        List<ProxyLink> openLinks;
        List<Socket> heldSockets;
        synchronized (this) {
            closed.countDown();
            openLinks = new ArrayList<>(links);
            heldSockets = new ArrayList<>(held);
            links.clear();
            held.clear();
        }
        try {
            server.close();
        } catch (IOException e) {
            LOGGER.atDebug().addKeyValue("error", e.toString()).log("close failed");
        }
        openLinks.forEach(ProxyLink::close);
        heldSockets.forEach(ProxyLink::closeQuietly);
    }

    private synchronized void hold(Socket client) {
        if (closed.getCount() == 0) {
            ProxyLink.closeQuietly(client);
        } else {
            held.add(client);
        }
    }
}
