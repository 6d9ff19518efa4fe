package dev.handoff.producer;

import dev.handoff.protocol.common.GrpcServer;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;

/**
 * The producer's two gRPC listeners: the PartStore server replayers fetch from, and (with an enqueue root) the
 * Enqueue server, on a listener of its own (loopback, or mTLS): whoever reaches it can enqueue any part under the
 * root for any node, which the part store's readers must not be able to do. Owns both; {@link #close()} stops them.
 * Started once, then read-only: safe to read from any thread. {@link #advertised()} is the address written into
 * every record's {@code source}; {@link #enqueue()} is null when Enqueue is not served (no enqueue root).
 */
record ProducerServers(GrpcServer partStore, GrpcServer enqueue, String advertised) implements AutoCloseable {
    static ProducerServers start(ProducerSettings settings, PartStoreService fetch, EnqueueService.Target target)
        throws StoreIoException {
        PartStoreServerSettings ps = settings.partStore();
        GrpcServer partStore;
        try {
            partStore = GrpcServer.start("part-store", ps.host(), ps.port(), ps.tls(), List.of(fetch));
        } catch (IOException e) {
            throw new StoreIoException("cannot listen on " + ps.host() + ":" + ps.port(), e);
        }
        EnqueueServerSettings es = settings.enqueue();
        GrpcServer enqueue = null;
        if (es.root() != null) {
            try {
                enqueue = GrpcServer.start("enqueue", es.host(), es.port(), es.tls(),
                    List.of(new EnqueueService(es.root(), target)));
            } catch (IOException e) {
                partStore.close();
                throw new StoreIoException("cannot listen for Enqueue on " + es.host() + ":" + es.port(), e);
            }
        }
        String advertised = ps.advertisedAddress() != null ? ps.advertisedAddress()
            : defaultHost(ps.host()) + ":" + partStore.port();
        return new ProducerServers(partStore, enqueue, advertised);
    }

    int partStorePort() {
        return partStore.port();
    }

    /** -1 when Enqueue is not served (no enqueue root). */
    int enqueuePort() {
        return enqueue == null ? -1 : enqueue.port();
    }

    private static String defaultHost(String host) {
        if (!host.equals("0.0.0.0") && !host.equals("::")) {
            return host.contains(":") ? "[" + host + "]" : host;
        }
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    @Override
    public void close() {
        if (enqueue != null) {
            enqueue.close();
        }
        partStore.close();
    }
}
