package dev.handoff.replayer.internals;

import dev.handoff.protocol.common.Daemons;
import dev.handoff.replayer.PartSink;
import dev.handoff.protocol.common.KafkaClientSupplier;
import dev.handoff.replayer.ReplayerSettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link dev.handoff.replayer.Replayer} runs: builds and wires every part, owns every thread and client.
 *
 * <p>Threads: one poll thread ({@link ReplayLoop}) owns the group consumer and the transactional
 * producer; {@link ReplayerSettings#deliveryThreads()} delivery threads stream bundles; one thread
 * reads node statuses ({@link NodeStatusTable}). {@link #start()} and {@link #close()} may be called
 * from any thread.
 */
public final class ReplayerRuntime implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(ReplayerRuntime.class);

    private final ReplayerSettings settings;
    private final MeterRegistry registry;
    private final Clock clock;
    private final KafkaClientSupplier clients;
    private NodeStatusTable statuses;
    private HealthReporter health;
    private ChannelPool sources;
    private PartSink sink;
    private Delay delay;
    private ExecutorService workers;
    private ScheduledExecutorService fetchTimer;
    private Admin admin;
    private ReplayLoop loop;
    private Thread pollThread;
    private boolean started;
    private boolean closed;

    public ReplayerRuntime(ReplayerSettings settings, MeterRegistry registry, Clock clock, KafkaClientSupplier clients) {
        this.settings = settings;
        this.registry = registry;
        this.clock = clock;
        this.clients = clients;
    }

    /** Starts every thread and client; returns at once (joining the group happens on the poll thread). */
    public synchronized void start() {
        if (started || closed) {
            throw new IllegalStateException(closed ? "replayer is closed" : "replayer already started");
        }
        started = true;
        ReplayerMetrics metrics = new MicrometerReplayerMetrics(registry);
        NodeStatusGauges gauges = new NodeStatusGauges(registry, node -> statuses.get(node), clock);
        statuses = new NodeStatusTable(
            clients.consumer(settings.kafka().consumer(null, settings.replayerName() + "-status")),
            settings.topics().nodeStatus(), clock, gauges::register);
        health = new HealthReporter(clients, settings.kafka(), settings.topics().health(), settings.replayerName(), clock);
        sources = new ChannelPool(settings.connections().fetchTls(), settings.backoffInitial());
        sink = settings.sinkFactory().create(settings);
        delay = new Delay();
        workers = Executors.newFixedThreadPool(settings.limits().deliveryThreads(), Daemons.numbered("handoff-delivery-"));
        admin = clients.admin(settings.kafka().admin());
        fetchTimer = Executors.newSingleThreadScheduledExecutor(Daemons.numbered("handoff-fetch-timer-"));
        BundleDelivery delivery = new BundleDelivery(sources, sink, settings.connections().chunkSize(), settings.replayerName(), delay,
            fetchTimer, settings.sessionTimeout(), settings.connections().allowedSources(), settings.connections().allowedNodes());
        Scheduler scheduler = new Scheduler(settings, statuses::get, RetryPolicy.of(settings), clock, metrics,
            new PooledDispatcher(workers, delivery, health, metrics));
        LogStartAdvancer advancer = new LogStartAdvancer(admin, settings.logStart().topologyApplicationId(), clock,
            settings.logStart().advanceInterval().toMillis());
        loop = new ReplayLoop(settings, clients, scheduler, statuses, advancer, delay, clock);
        statuses.start();
        pollThread = new Thread(loop, "handoff-replayer-poll");
        pollThread.start();
        LOGGER.atInfo().addKeyValue("group", settings.groupId()).addKeyValue("instance", settings.instanceId())
            .addKeyValue("prefix", settings.topicPrefix()).log("replayer started");
    }

    /**
     * True while the replayer is a member of its group, polling, and acting on current node statuses
     * (for /readyz): a replayer whose status reader failed or fell behind delivers nothing and is not ready.
     */
    public boolean isReady() {
        ReplayLoop l = loop;
        NodeStatusTable s = statuses;
        return l != null && l.ready() && s != null && s.current();
    }

    /**
     * Why the replayer stopped for good: a fatal Kafka failure (an ACL it lacks, wrong credentials, an invalid
     * setting) that rejoining cannot fix. Empty while it runs or retries. {@code handoff replayer} exits 1 with it.
     */
    public java.util.Optional<String> failure() {
        ReplayLoop l = loop;
        return java.util.Optional.ofNullable(l == null ? null : l.failure());
    }

    /** Stops delivering, commits what is complete, leaves the group and closes every client and thread. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!started) {
            return;
        }
        loop.stop();
        join(pollThread, Duration.ofSeconds(30));
        delay.close();
        workers.shutdownNow();
        try {
            workers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        fetchTimer.shutdownNow();
        sink.close();
        sources.close();
        statuses.close();
        health.close();
        admin.close(Duration.ofSeconds(5));
        LOGGER.atInfo().addKeyValue("instance", settings.instanceId()).log("replayer stopped");
    }

    private static void join(Thread thread, Duration timeout) {
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
