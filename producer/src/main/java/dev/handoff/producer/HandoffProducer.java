package dev.handoff.producer;

import dev.handoff.protocol.common.KafkaClientSupplier;
import dev.handoff.protocol.HandoffException;
import dev.handoff.protocol.InvalidFieldException;
import dev.handoff.protocol.NodeAddress;
import dev.handoff.protocol.common.Fsyncs;
import dev.handoff.protocol.common.GrpcServer;
import dev.handoff.protocol.common.PartLocks;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer role: a durable part store on the liaison, one enqueue record per missed node, the
 * PartStore gRPC server replayers fetch from, a health monitor of the data nodes and garbage
 * collection of released bundles. Use as a library ({@link #enqueue}) or as {@code handoff producer}.
 *
 * <p>Lifecycle: construct, {@link #start()} (repairs the store and republishes what a crash left
 * unpublished), use, {@link #close()}. {@link #enqueue} and {@link #reportDown} are thread-safe.
 */
public final class HandoffProducer implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(HandoffProducer.class);
    /** Threads that fsync an enqueued bundle's links and directories together (see {@link BundleLinker}). */
    private static final int FSYNC_THREADS = 16;

    private final ProducerSettings settings;
    private final MeterRegistry registry;
    private final Clock clock;
    private final Enqueuer.Hooks hooks;
    private final KafkaClientSupplier clients;
    private final ProducerMetrics metrics;
    private final List<AutoCloseable> owned = new ArrayList<>();
    private BundleStore store;
    private StoreSpace space;
    private Enqueuer enqueuer;
    private HealthMonitor monitor;
    private ReleaseCollector collector;
    private GrpcServer server;
    private volatile GrpcServer enqueueServer;
    private volatile String advertised;
    private volatile boolean ready;

    public HandoffProducer(ProducerSettings settings, MeterRegistry registry, Clock clock) {
        this(settings, registry, clock, Enqueuer.Hooks.NONE);
    }

    HandoffProducer(ProducerSettings settings, MeterRegistry registry, Clock clock, Enqueuer.Hooks hooks) {
        this(settings, registry, clock, hooks, KafkaClientSupplier.real());
    }

    /** With the Kafka clients made by {@code clients} (MockProducer/MockConsumer in unit tests). */
    HandoffProducer(ProducerSettings settings, MeterRegistry registry, Clock clock, Enqueuer.Hooks hooks,
                    KafkaClientSupplier clients) {
        this.settings = settings;
        this.clients = clients;
        this.registry = registry;
        this.clock = clock;
        this.hooks = hooks;
        this.metrics = new MicrometerProducerMetrics(registry);
    }

    /** Repairs and loads the store, serves Fetch, republishes unpublished records, starts health and GC. */
    public synchronized void start() throws HandoffException {
        if (store != null) {
            throw new IllegalStateException("producer already started");
        }
        StoreLayout layout = new StoreLayout(settings.storeDir(), settings.liaison());
        Fsyncs fsyncs = own(Fsyncs.parallel(FSYNC_THREADS, "handoff-store-fsync"));
        store = new BundleStore(layout, metrics, fsyncs);
        List<Manifest> loaded;
        long total;
        try {
            loaded = store.recover();
            total = Files.getFileStore(layout.liaisonDir()).getTotalSpace();
        } catch (IOException e) {
            throw new StoreIoException("cannot open the part store " + layout.liaisonDir(), e);
        }
        space = new StoreSpace(StoreSpace.limit(settings.storeMaxBytes(), settings.storeMaxPercent(), total),
            settings.storeMaxBytesPerNode());
        loaded.forEach(m -> {
            space.account(m.bytes());
            space.accountNodes(m.pendingNodes(), m.bytes());
        });
        metrics.storeSpace(space);
        RecordPublisher publisher = own(new RecordPublisher(settings, metrics, clients));
        publisher.ensureFixedTopics();
        PartLocks locks = new PartLocks(64);
        monitor = own(new HealthMonitor("producer:" + settings.liaison(), settings.healthInterval(),
            settings.healthTimeout(), settings.heartbeatInterval(), settings.clientTls(), clock, publisher::health, metrics));
        settings.nodes().forEach(monitor::watch);
        loaded.forEach(m -> m.targetNodes().forEach(monitor::watch));
        startServer();
        enqueuer = new Enqueuer(store, space, locks, publisher, () -> advertised, monitor::watch, clock, hooks,
            settings.maxAge());
        int republished = enqueuer.republishAll();
        metrics.unpublished(enqueuer::unpublishedCount);
        own(new Republisher(enqueuer, metrics)).start(settings.republishInterval());
        monitor.start();
        collector = own(new ReleaseCollector(settings, store, space, locks, metrics,
            clients.consumer(ReleaseCollector.consumerConfig(settings))));
        collector.start();
        if (settings.storeCheckInterval() != null) {
            StoreChecker checker = own(new StoreChecker(settings));
            metrics.storeCheck(checker);
            checker.start(settings.storeCheckInterval());
        }
        ready = true;
        LOGGER.atInfo().addKeyValue("liaison", settings.liaison()).addKeyValue("store", layout.liaisonDir())
            .addKeyValue("bundles", loaded.size()).addKeyValue("republished", republished)
            .addKeyValue("usedBytes", space.usedBytes()).addKeyValue("limitBytes", space.limitBytes())
            .addKeyValue("source", advertised).log("producer started");
    }

    /**
     * Stores the bundle (one hard link per file; a re-enqueue of a stored PartKey adds only the nodes
     * not yet targeted) and publishes one record per new node. Returns once every record is acknowledged
     * ({@code acks=all}) and the manifest says so.
     *
     * @throws StoreFullException  the store has no room (nothing was written)
     * @throws StoreIoException    the files could not be stored (nothing was kept)
     * @throws PublishException    Kafka did not acknowledge; the bundle stays stored and this producer
     *                             publishes it again every {@code --republish-interval} until Kafka does
     *                             (as does the next enqueue of the same part, or the next start)
     * @throws InvalidFieldException a bad node, part type or file name, naming the field
     */
    public void enqueue(Bundle bundle, Collection<String> nodes) throws HandoffException {
        if (!ready) {
            throw new IllegalStateException("producer not started");
        }
        long start = clock.millis();
        try {
            enqueuer.enqueue(bundle, nodes);
            metrics.enqueued(since(start));
        } catch (NodeQuotaFullException e) {
            metrics.refused("node_quota", since(start));
            throw e;
        } catch (StoreFullException e) {
            metrics.refused("store_full", since(start));
            throw e;
        } catch (StoreIoException e) {
            metrics.refused("io", since(start));
            throw e;
        } catch (PublishException e) {
            metrics.refused("publish", since(start));
            throw e;
        } catch (InvalidFieldException e) {
            metrics.refused("invalid", since(start));
            throw e;
        }
    }

    /**
     * Enqueues a part from a BanyanDB liaison's write queue: the core part directory
     * {@code <root>/<group>/shard-<N>/<partId>} and its sidx parts {@code <root>/<group>/shard-<N>/sidx/<rule>/<partId>},
     * as one bundle ({@link BanyanLayout}); otherwise as {@link #enqueue}.
     *
     * @param group null: from the path
     * @param shard null: from the path
     */
    public void enqueueBanyanPart(Path partDir, String group, Integer shard, Collection<String> nodes) throws HandoffException {
        enqueue(BanyanLayout.readable(settings.liaison(), partDir, group, shard), nodes);
    }

    /** The liaison's write path could not reach {@code node}: publish DOWN now (if it was not already). */
    public void reportDown(String node) {
        NodeAddress.require("node", node);
        if (monitor != null) {
            monitor.reportDown(node);
        }
    }

    /** True once started and while garbage collection runs: for {@code /readyz}. */
    public boolean isReady() {
        return ready && collector != null && collector.isRunning();
    }

    /**
     * Why the producer stopped doing part of its work for good (garbage collection hit a fatal Kafka failure:
     * an ACL it lacks, wrong credentials). Empty while it runs. {@code handoff producer} exits 1 with it.
     */
    public java.util.Optional<String> failure() {
        ReleaseCollector c = collector;
        return java.util.Optional.ofNullable(c == null ? null : c.failure());
    }

    /** The address written into every record's {@code source}; known after {@link #start()}. */
    public String advertisedAddress() {
        return advertised;
    }

    /** The bound port of the PartStore gRPC server. */
    public int port() {
        return server.port();
    }

    /** The bound port of the Enqueue gRPC server; -1 when it is not served (no enqueue root). */
    public int enqueuePort() {
        GrpcServer s = enqueueServer;
        return s == null ? -1 : s.port();
    }

    public long usedBytes() {
        return space.usedBytes();
    }

    public long limitBytes() {
        return space.limitBytes();
    }

    private void startServer() throws StoreIoException {
        try {
            server = own(GrpcServer.start("part-store", settings.listenHost(), settings.listenPort(), settings.serverTls(),
                List.of(new PartStoreService(store, settings.chunkSizeBytes(), metrics))));
        } catch (IOException e) {
            throw new StoreIoException("cannot listen on " + settings.listenHost() + ":" + settings.listenPort(), e);
        }
        if (settings.enqueueRoot() != null) {
            // Enqueue has a listener of its own (loopback, or mTLS): whoever reaches it can enqueue any part under
            // the root for any node, which the part store's readers must not be able to do.
            try {
                enqueueServer = own(GrpcServer.start("enqueue", settings.enqueueListenHost(), settings.enqueueListenPort(),
                    settings.enqueueTls(), List.of(new EnqueueService(settings.enqueueRoot(), this::enqueue))));
            } catch (IOException e) {
                throw new StoreIoException("cannot listen for Enqueue on " + settings.enqueueListenHost() + ":"
                    + settings.enqueueListenPort(), e);
            }
        }
        advertised = settings.advertisedAddress() != null ? settings.advertisedAddress()
            : defaultHost() + ":" + server.port();
    }

    private String defaultHost() {
        String host = settings.listenHost();
        if (!host.equals("0.0.0.0") && !host.equals("::")) {
            return host.contains(":") ? "[" + host + "]" : host;
        }
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private Duration since(long startMillis) {
        return Duration.ofMillis(Math.max(0, clock.millis() - startMillis));
    }

    private <T extends AutoCloseable> T own(T resource) {
        owned.add(resource);
        return resource;
    }

    /** Stops GC, health checks and the server, then the Kafka clients; stored bundles stay. */
    @Override
    public synchronized void close() {
        ready = false;
        for (int i = owned.size() - 1; i >= 0; i--) {
            try {
                owned.get(i).close();
            } catch (Exception e) {
                LOGGER.atWarn().addKeyValue("error", e.toString()).log("error while closing the producer");
            }
        }
        owned.clear();
    }
}
