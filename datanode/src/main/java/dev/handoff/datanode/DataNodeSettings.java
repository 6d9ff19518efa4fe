package dev.handoff.datanode;

import static java.util.Objects.requireNonNullElse;

import dev.handoff.protocol.InvalidFieldException;
import dev.handoff.protocol.Names;
import dev.handoff.protocol.common.TlsConfig;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Configuration of a reference data node ({@code handoff datanode}); {@link #builder} starts from the defaults.
 *
 * @param listenHost interface to listen on ({@code --listen HOST:PORT}); default {@code 0.0.0.0}
 * @param port TCP port of the PartSync and grpc.health.v1 services; 0 picks a free port; default 9420
 * @param dataDir directory holding {@code parts/}, {@code tmp/} and {@code applied.log} ({@code --dir}); required
 * @param tls TLS (or mTLS, with trust certificates) of the gRPC server; null serves plaintext; default null
 * @param testLatencyPerSession for tests and benchmarks only: delay added before every session's answer but a
 *     DUPLICATE's (a bundle already applied is answered at once: it costs the node no work)
 *     ({@code --test-latency-per-session}); default 0
 * @param testFailureRate for tests and benchmarks only: fraction 0.0-1.0 of sessions that fail with gRPC
 *     {@code UNAVAILABLE} on their first message, before anything is written ({@code --test-failure-rate}); default 0
 * @param unsafeNoFsyncBenchmarkOnly for benchmarks only: sizes and CRC32C are verified and bundles renamed into
 *     place, but nothing is fsynced, so an APPLIED answer survives no power loss
 *     ({@code --unsafe-no-fsync-benchmark-only}); default false
 * @param fsyncWait the longest a commit waits for the shared fsync (group commit) of its shard directory or of
 *     {@code applied.log} to cover it; past it the session fails {@code INTERNAL} and the sender retries (Java API
 *     only, the {@code handoff datanode} verb uses the default); default 60 s
 */
public record DataNodeSettings(String listenHost, int port, Path dataDir, TlsConfig tls,
                               Duration testLatencyPerSession, double testFailureRate,
                               boolean unsafeNoFsyncBenchmarkOnly, Duration fsyncWait) {

    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final Duration DEFAULT_FSYNC_WAIT = Duration.ofSeconds(60);
    public static final int DEFAULT_PORT = 9420;

    public DataNodeSettings {
        if (listenHost == null || listenHost.isBlank()) {
            throw new InvalidFieldException("listenHost", listenHost, "a host name or IP address");
        }
        if (port < 0 || port > 65535) {
            throw new InvalidFieldException("port", port, "0-65535 (0 picks a free port)");
        }
        Names.required("dataDir", dataDir);
        testLatencyPerSession = requireNonNullElse(testLatencyPerSession, Duration.ZERO);
        if (testLatencyPerSession.isNegative()) {
            throw new InvalidFieldException("testLatencyPerSession", testLatencyPerSession, "must be >= 0");
        }
        fsyncWait = requireNonNullElse(fsyncWait, DEFAULT_FSYNC_WAIT);
        if (fsyncWait.isNegative() || fsyncWait.isZero()) {
            throw new InvalidFieldException("fsyncWait", fsyncWait, "must be > 0");
        }
        if (!(testFailureRate >= 0.0 && testFailureRate <= 1.0)) {
            throw new InvalidFieldException("testFailureRate", testFailureRate, "a fraction 0.0-1.0");
        }
    }

    /** Settings with every default; the data directory is the one required value. */
    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    /** A builder holding these settings, to change a few. */
    public Builder toBuilder() {
        return new Builder(dataDir).listen(listenHost, port).tls(tls).testLatencyPerSession(testLatencyPerSession)
            .testFailureRate(testFailureRate).unsafeNoFsyncBenchmarkOnly(unsafeNoFsyncBenchmarkOnly).fsyncWait(fsyncWait);
    }

    /** Collects settings; every field starts at its default. {@link #build()} validates. */
    public static final class Builder {
        private final Path dataDir;
        private String listenHost = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private TlsConfig tls;
        private Duration testLatencyPerSession = Duration.ZERO;
        private double testFailureRate;
        private boolean unsafeNoFsyncBenchmarkOnly;
        private Duration fsyncWait = DEFAULT_FSYNC_WAIT;

        private Builder(Path dataDir) {
            this.dataDir = dataDir;
        }

        public Builder listen(String host, int newPort) { listenHost = host; port = newPort; return this; }

        public Builder tls(TlsConfig v) { tls = v; return this; }

        /** For tests and benchmarks only: see {@link DataNodeSettings#testLatencyPerSession()}. */
        public Builder testLatencyPerSession(Duration v) { testLatencyPerSession = v; return this; }

        /** For tests and benchmarks only: see {@link DataNodeSettings#testFailureRate()}. */
        public Builder testFailureRate(double v) { testFailureRate = v; return this; }

        /** For benchmarks only: see {@link DataNodeSettings#unsafeNoFsyncBenchmarkOnly()}. */
        public Builder unsafeNoFsyncBenchmarkOnly(boolean v) { unsafeNoFsyncBenchmarkOnly = v; return this; }

        /** See {@link DataNodeSettings#fsyncWait()}. */
        public Builder fsyncWait(Duration v) { fsyncWait = v; return this; }

        public DataNodeSettings build() {
            return new DataNodeSettings(listenHost, port, dataDir, tls, testLatencyPerSession, testFailureRate,
                unsafeNoFsyncBenchmarkOnly, fsyncWait);
        }
    }
}
