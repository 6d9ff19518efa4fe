package dev.handoff.cli;

import dev.handoff.cli.Preflight.Check;
import dev.handoff.protocol.common.GrpcChannels;
import dev.handoff.protocol.common.TlsConfig;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** {@code handoff doctor}'s checks of this host: hard links from the enqueue root into the store, free space, data nodes. */
final class HostChecks {
    private HostChecks() {
    }

    /**
     * The store dir and the enqueue root are on one file system, proven by hard-linking a file created in the
     * root into the store (both removed again): a producer whose store is elsewhere copies every part.
     */
    static Check link(Path storeDir, Path enqueueRoot) {
        String name = "hard link";
        if (storeDir == null || enqueueRoot == null) {
            return Check.skip(name, "needs --store-dir and --enqueue-root");
        }
        for (Path dir : new Path[] {storeDir, enqueueRoot}) {
            if (!Files.isDirectory(dir)) {
                return Check.fail(name, dir + " is not a directory");
            }
        }
        Path source = enqueueRoot.resolve(".handoff-doctor-" + UUID.randomUUID());
        Path link = storeDir.resolve(source.getFileName() + ".link");
        try {
            Files.write(source, new byte[] {1});
            try {
                Files.createLink(link, source);
                return Check.ok(name, "a file in " + enqueueRoot + " was hard-linked into " + storeDir);
            } catch (IOException | UnsupportedOperationException e) {
                return Check.fail(name, "cannot hard-link from " + enqueueRoot + " (" + fileStore(enqueueRoot) + ") into "
                    + storeDir + " (" + fileStore(storeDir) + "): " + Preflight.why(e)
                    + "; put the store on the liaison's file system, or every part is copied");
            } finally {
                Files.deleteIfExists(link);
                Files.deleteIfExists(source);
            }
        } catch (IOException e) {
            return Check.fail(name, "cannot write a probe file in " + enqueueRoot + ": " + Preflight.why(e));
        }
    }

    /** The store's file system has at least {@code --store-max-bytes} usable. */
    static Check space(Path storeDir, Long storeMaxBytes) {
        String name = "free space";
        if (storeDir == null || storeMaxBytes == null) {
            return Check.skip(name, "needs --store-dir and --store-max-bytes");
        }
        try {
            long usable = Files.getFileStore(storeDir).getUsableSpace();
            String numbers = storeDir + " has " + usable + " bytes usable, --store-max-bytes is " + storeMaxBytes;
            return usable >= storeMaxBytes ? Check.ok(name, numbers)
                : Check.fail(name, numbers + ": the disk fills before the store refuses; lower --store-max-bytes or grow the volume");
        } catch (IOException e) {
            return Check.fail(name, "cannot read the file system of " + storeDir + ": " + Preflight.why(e));
        }
    }

    /** {@code node} answers {@code grpc.health.v1.Health/Check} with SERVING within {@code timeout}. */
    static Check node(String node, TlsConfig tls, Duration timeout) {
        String name = "node " + node;
        ManagedChannel channel;
        try {
            channel = GrpcChannels.open(node, tls);
        } catch (RuntimeException e) {
            return Check.fail(name, Preflight.why(e));
        }
        try {
            HealthCheckResponse.ServingStatus status = HealthGrpc.newBlockingStub(channel)
                .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .check(HealthCheckRequest.getDefaultInstance()).getStatus();
            return status == HealthCheckResponse.ServingStatus.SERVING ? Check.ok(name, "grpc.health.v1 SERVING")
                : Check.fail(name, "grpc.health.v1 answers " + status);
        } catch (StatusRuntimeException e) {
            return Check.fail(name, "grpc.health.v1 check failed: " + e.getStatus().getCode()
                + (e.getStatus().getDescription() == null ? "" : ": " + e.getStatus().getDescription()));
        } finally {
            GrpcChannels.close(channel);
        }
    }

    private static String fileStore(Path dir) {
        try {
            FileStore store = Files.getFileStore(dir);
            return store.name() + " " + store.type();
        } catch (IOException e) {
            return "unknown file system";
        }
    }
}
