package dev.handoff.datanode;

import dev.handoff.protocol.InvalidFieldException;
import dev.handoff.protocol.Names;
import dev.handoff.protocol.common.TlsConfig;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Configuration of a reference data node ({@code handoff datanode}).
 *
 * @param listenHost interface to listen on ({@code --listen HOST:PORT}); default {@code 0.0.0.0}
 * @param port TCP port of the PartSync and grpc.health.v1 services; 0 picks a free port; default 9420
 * @param dataDir directory holding {@code parts/}, {@code tmp/} and {@code applied.log} ({@code --dir}); required
 * @param tls TLS (or mTLS, with trust certificates) of the gRPC server; null serves plaintext; default null
 * @param testLatencyPerSession for tests and benchmarks only: delay added before every session's answer
 *     ({@code --test-latency-per-session}); default 0
 * @param testFailureRate for tests and benchmarks only: fraction 0.0-1.0 of sessions that fail with gRPC
 *     {@code UNAVAILABLE} on their first message, before anything is written ({@code --test-failure-rate}); default 0
 * @param unsafeNoFsyncBenchmarkOnly for benchmarks only: sizes and CRC32C are verified and bundles renamed into
 *     place, but nothing is fsynced, so an APPLIED answer survives no power loss
 *     ({@code --unsafe-no-fsync-benchmark-only}); default false
 */
public record DataNodeSettings(String listenHost, int port, Path dataDir, TlsConfig tls,
                               Duration testLatencyPerSession, double testFailureRate,
                               boolean unsafeNoFsyncBenchmarkOnly) {

    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final int DEFAULT_PORT = 9420;

    public DataNodeSettings {
        if (listenHost == null || listenHost.isBlank()) {
            throw new InvalidFieldException("listenHost", listenHost, "a host name or IP address");
        }
        if (port < 0 || port > 65535) {
            throw new InvalidFieldException("port", port, "0-65535 (0 picks a free port)");
        }
        Names.required("dataDir", dataDir);
        testLatencyPerSession = testLatencyPerSession == null ? Duration.ZERO : testLatencyPerSession;
        if (testLatencyPerSession.isNegative()) {
            throw new InvalidFieldException("testLatencyPerSession", testLatencyPerSession, "must be >= 0");
        }
        if (!(testFailureRate >= 0.0 && testFailureRate <= 1.0)) {
            throw new InvalidFieldException("testFailureRate", testFailureRate, "a fraction 0.0-1.0");
        }
    }

    /** Defaults: listen on {@code 0.0.0.0:9420}, plaintext, no injected latency or failures. */
    public static DataNodeSettings defaults(Path dataDir) {
        return new DataNodeSettings(DEFAULT_HOST, DEFAULT_PORT, dataDir, null, Duration.ZERO, 0.0, false);
    }

    /** Defaults listening on {@code localhost} and a free port: what tests want. */
    public static DataNodeSettings forTests(Path dataDir) {
        return defaults(dataDir).withListen("localhost", 0);
    }

    public DataNodeSettings withListen(String host, int newPort) {
        return new DataNodeSettings(host, newPort, dataDir, tls, testLatencyPerSession, testFailureRate,
            unsafeNoFsyncBenchmarkOnly);
    }

    public DataNodeSettings withTls(TlsConfig newTls) {
        return new DataNodeSettings(listenHost, port, dataDir, newTls, testLatencyPerSession, testFailureRate,
            unsafeNoFsyncBenchmarkOnly);
    }

    /** For tests and benchmarks only: see {@link #testLatencyPerSession()}. */
    public DataNodeSettings withTestLatencyPerSession(Duration latency) {
        return new DataNodeSettings(listenHost, port, dataDir, tls, latency, testFailureRate,
            unsafeNoFsyncBenchmarkOnly);
    }

    /** For tests and benchmarks only: see {@link #testFailureRate()}. */
    public DataNodeSettings withTestFailureRate(double rate) {
        return new DataNodeSettings(listenHost, port, dataDir, tls, testLatencyPerSession, rate,
            unsafeNoFsyncBenchmarkOnly);
    }

    /** For benchmarks only: see {@link #unsafeNoFsyncBenchmarkOnly()}. */
    public DataNodeSettings withUnsafeNoFsyncBenchmarkOnly(boolean noFsync) {
        return new DataNodeSettings(listenHost, port, dataDir, tls, testLatencyPerSession, testFailureRate, noFsync);
    }
}
