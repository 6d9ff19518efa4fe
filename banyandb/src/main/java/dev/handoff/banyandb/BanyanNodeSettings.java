package dev.handoff.banyandb;

import dev.handoff.protocol.InvalidFieldException;
import dev.handoff.protocol.Names;
import dev.handoff.protocol.common.TlsConfig;
import java.nio.file.Path;

/**
 * The conformance receiver's configuration ({@code handoff banyandb-node}).
 *
 * @param host            address to listen on
 * @param port            port, 0 = a free one (BanyanDB data nodes use 17912)
 * @param dir             where parts are written in BanyanDB's layout, and {@code commits.log}
 * @param versions        the versions this node runs and checks chunks against
 * @param tls             server TLS, null = plaintext
 * @param testCorruptSessions FOR TESTS: the first N sessions see chunk {@code testFaultChunk} corrupted (CHECKSUM_MISMATCH)
 * @param testBusySessions    FOR TESTS: the first N sessions (after the corrupted ones) are answered SERVER_BUSY on
 *                            chunk {@code testFaultChunk}
 * @param testFaultChunk  the chunk index the faults hit (a session with fewer chunks is not hit)
 */
public record BanyanNodeSettings(String host, int port, Path dir, BanyanVersions versions, TlsConfig tls,
                                 int testCorruptSessions, int testBusySessions, int testFaultChunk) {
    public static final int DEFAULT_PORT = 17912;

    public BanyanNodeSettings {
        Names.requireText("host", host);
        if (port < 0 || port > 65535) {
            throw new InvalidFieldException("port", port, "0-65535");
        }
        Names.required("dir", dir);
        versions = versions == null ? BanyanVersions.DEFAULTS : versions;
        Names.nonNegative("testCorruptSessions", testCorruptSessions);
        Names.nonNegative("testBusySessions", testBusySessions);
        Names.nonNegative("testFaultChunk", testFaultChunk);
    }

    /** Localhost, a free port, the default versions, no faults. */
    public static BanyanNodeSettings forTests(Path dir) {
        return new BanyanNodeSettings("localhost", 0, dir, BanyanVersions.DEFAULTS, null, 0, 0, 1);
    }

    public BanyanNodeSettings withListen(String newHost, int newPort) {
        return new BanyanNodeSettings(newHost, newPort, dir, versions, tls, testCorruptSessions, testBusySessions, testFaultChunk);
    }

    public BanyanNodeSettings withVersions(BanyanVersions v) {
        return new BanyanNodeSettings(host, port, dir, v, tls, testCorruptSessions, testBusySessions, testFaultChunk);
    }

    public BanyanNodeSettings withTls(TlsConfig t) {
        return new BanyanNodeSettings(host, port, dir, versions, t, testCorruptSessions, testBusySessions, testFaultChunk);
    }

    public BanyanNodeSettings withTestFaults(int corruptSessions, int busySessions, int faultChunk) {
        return new BanyanNodeSettings(host, port, dir, versions, tls, corruptSessions, busySessions, faultChunk);
    }
}
