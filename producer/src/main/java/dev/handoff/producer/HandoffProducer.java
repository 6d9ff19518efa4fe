package dev.handoff.producer;

import dev.handoff.protocol.common.KafkaClientSupplier;
import dev.handoff.protocol.HandoffException;
import dev.handoff.protocol.InvalidFieldException;
import dev.handoff.protocol.NodeAddress;
import dev.handoff.protocol.common.Fsyncs;
import dev.handoff.protocol.common.PartLocks;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
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
    /** The {@code reason} a refused enqueue is counted under, by its exception (most specific first). */
    private static final List<Map.Entry<Class<? extends Exception>, String>> REFUSALS = List.of(
        Map.entry(NodeQuotaFullException.class, "node_quota"),
        Map.entry(StoreFullException.class, "store_full"),
        Map.entry(StoreIoException.class, "io"),
        Map.entry(PublishException.class, "publish"),
        Map.entry(InvalidFieldException.class, "invalid"));

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
    private volatile ProducerServers servers;
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
        space = new StoreSpace(StoreSpace.limit(settings.store().maxBytes(), settings.store().maxPercent(), total),
            settings.store().maxBytesPerNode());
        loaded.forEach(m -> {
            space.account(m.bytes());
            space.accountNodes(m.pendingNodes(), m.bytes());
        });
        metrics.storeSpace(space);
        RecordPublisher publisher = own(new RecordPublisher(settings, metrics, clients));
        publisher.ensureFixedTopics();
        PartLocks locks = new PartLocks(64);
        HealthCheckSettings health = settings.health();
        monitor = own(new HealthMonitor("producer:" + settings.liaison(), health.interval(), health.timeout(),
            health.heartbeatInterval(), health.tls(), clock, publisher::health, metrics));
        health.nodes().forEach(monitor::watch);
        loaded.forEach(m -> m.targetNodes().forEach(monitor::watch));
        PublishedMarks marks = own(new PublishedMarks(store, locks));
        metrics.marksWaiting(marks::waiting);
        marks.start();
        servers = own(ProducerServers.start(settings, new PartStoreService(store, settings.partStore().chunkSizeBytes(),
            metrics), this::enqueue));
        String advertised = servers.advertised();
        enqueuer = new Enqueuer(store, space, locks, publisher,
            new EnqueueRecords(() -> advertised, clock, settings.publish().maxAge()), monitor::watch, clock, hooks, marks);
        int republished = enqueuer.republishAll();
        metrics.unpublished(enqueuer::unpublishedCount);
        own(new Republisher(enqueuer, metrics)).start(settings.publish().republishInterval());
        monitor.start();
        collector = own(new ReleaseCollector(settings, store, space, locks, metrics,
            clients.consumer(ReleaseRecords.consumerConfig(settings))));
        collector.start();
        if (settings.storeCheck().interval() != null) {
            StoreChecker checker = own(new StoreChecker(settings));
            metrics.storeCheck(checker);
            checker.start(settings.storeCheck().interval());
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
     * ({@code acks=all}); the manifest says so on disk shortly after ({@link PublishedMarks}).
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
            Enqueuer.Phases phases = enqueuer.enqueue(bundle, nodes);
            metrics.enqueued(since(start), phases.store(), phases.publish());
        } catch (HandoffException | InvalidFieldException e) {
            REFUSALS.stream().filter(r -> r.getKey().isInstance(e)).findFirst()
                .ifPresent(r -> metrics.refused(r.getValue(), since(start)));
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
        ProducerServers s = servers;
        return s == null ? null : s.advertised();
    }

    /** The bound port of the PartStore gRPC server. */
    public int port() {
        return servers.partStorePort();
    }

    /** The bound port of the Enqueue gRPC server; -1 when it is not served (no enqueue root). */
    public int enqueuePort() {
        ProducerServers s = servers;
        return s == null ? -1 : s.enqueuePort();
    }

    public long usedBytes() {
        return space.usedBytes();
    }

    public long limitBytes() {
        return space.limitBytes();
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
