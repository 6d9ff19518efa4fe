package dev.handoff.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The proxy against a real echo server on localhost: forwarding, a black hole that times out, healing. */
class BlackHoleProxyTest {
    private static final Logger LOGGER = LoggerFactory.getLogger(BlackHoleProxyTest.class);
    private static final int READ_TIMEOUT_MS = 1_000;

    private ServerSocket echo;
    private BlackHoleProxy proxy;

    @BeforeEach
    void startEchoServerAndProxy() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::echoLoop, "echo-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        proxy = BlackHoleProxy.start("127.0.0.1", echo.getLocalPort());
    }

    @AfterEach
    void close() throws IOException {
        proxy.close();
        echo.close();
    }

    @Test
    void shouldForwardBothWaysWhenNotBlackHoled() throws IOException {
        // Given a client connected through the proxy
        try (Socket client = connect()) {
            // When it sends a line
            String answer = roundTrip(client, "hello");

            // Then the echo server's answer comes back through the proxy
            assertThat(answer).isEqualTo("hello");
            assertThat(proxy.forwardedBytes()).isEqualTo(2L * "hello\n".length());
        }
    }

    @Test
    void shouldTimeOutReadsWithoutEofOrResetWhenBlackHoled() throws IOException {
        // Given a working connection through the proxy
        try (Socket before = connect()) {
            assertThat(roundTrip(before, "ping")).isEqualTo("ping");

            // When the proxy black-holes
            proxy.blackHole();

            // Then the open connection's reads time out: no answer, no EOF, no reset
            assertTimesOut(before, "lost");
            // And a new connection is accepted (not refused) but answered with nothing either
            try (Socket during = connect()) {
                assertThat(during.isConnected()).isTrue();
                assertTimesOut(during, "lost too");
            }
            assertThat(proxy.isBlackHoled()).isTrue();
            assertThat(proxy.acceptedConnections()).isEqualTo(2);
        }
    }

    @Test
    void shouldForwardNewConnectionsAndLeaveBlackHoledOnesDeadWhenHealed() throws IOException {
        // Given a connection that was black-holed
        try (Socket old = blackHoledConnection("one", "two")) {
            // When the proxy heals
            proxy.heal();

            // Then a new connection works again
            try (Socket fresh = connect()) {
                assertThat(roundTrip(fresh, "three")).isEqualTo("three");
            }
            // And the black-holed connection stays dead, still without EOF or reset
            assertTimesOut(old, "four");
        }
    }

    @Test
    void shouldEndEveryConnectionWhenClosed() throws IOException {
        // Given a black-holed connection
        Socket client = connect();
        proxy.blackHole();

        // When the proxy closes
        proxy.close();

        // Then the client's read ends (EOF or reset) instead of waiting for ever
        try (client) {
            client.setSoTimeout(10_000);
            Object outcome;
            try {
                outcome = client.getInputStream().read();
            } catch (SocketTimeoutException e) {
                outcome = "timeout";
            } catch (IOException e) {
                outcome = "reset";
            }
            assertThat(outcome).isIn(-1, "reset");
        }
    }

    private Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", proxy.port());
        s.setSoTimeout(READ_TIMEOUT_MS);
        return s;
    }

    /** A connection that answered {@code line} through the proxy until it black-holed: {@code lost} then timed out. */
    private Socket blackHoledConnection(String line, String lost) throws IOException {
        Socket s = connect();
        assertThat(roundTrip(s, line)).isEqualTo(line);
        proxy.blackHole();
        assertTimesOut(s, lost);
        return s;
    }

    private static String roundTrip(Socket s, String line) throws IOException {
        s.setSoTimeout(10_000);
        s.getOutputStream().write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        StringBuilder answer = new StringBuilder();
        InputStream in = s.getInputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            assertThat(c).as("EOF before the answer").isNotNegative();
            answer.append((char) c);
        }
        s.setSoTimeout(READ_TIMEOUT_MS);
        return answer.toString();
    }

    private static void assertTimesOut(Socket s, String line) throws IOException {
        s.getOutputStream().write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
    }

    private void echoLoop() {
        while (!echo.isClosed()) {
            try {
                Socket s = echo.accept();
                Thread t = new Thread(() -> echoConnection(s), "echo");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                LOGGER.atDebug().addKeyValue("error", e.toString()).log("echo server stopped");
                return;
            }
        }
    }

    private static void echoConnection(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            byte[] buffer = new byte[1024];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            LOGGER.atDebug().addKeyValue("error", e.toString()).log("echo connection ended");
        }
    }
}
