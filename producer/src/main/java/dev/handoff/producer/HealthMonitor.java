package dev.handoff.producer;

import dev.handoff.protocol.Health;
import dev.handoff.protocol.HealthEvent;
import dev.handoff.protocol.NodeAddress;
import dev.handoff.protocol.common.Daemons;
import dev.handoff.protocol.common.GrpcChannels;
import dev.handoff.protocol.common.TlsConfig;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches data nodes with {@code grpc.health.v1} Check and publishes a {@link HealthEvent} on every
 * transition, plus every node's current state each heartbeat. UP nodes are checked every interval, the others
 * every {@link #DOWN_PROBE}. Nodes are added at run time
 * ({@link #watch}); the write path reports failures at once ({@link #reportDown}). Threads: one
 * scheduler thread it owns starts checks; gRPC callbacks report results; per-node state changes
 * are synchronized on the node's {@link NodeState}. Time (when an UP node is due again, the events' times) comes
 * from the injected {@link Clock}.
 */
final class HealthMonitor implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(HealthMonitor.class);
    /**
     * A node not known to be UP is checked this often (UP nodes every interval), so a returning node is seen
     * within about this time. A check of a down node fails fast (connection refused) and costs next to nothing.
     */
    static final Duration DOWN_PROBE = Duration.ofMillis(200);

    /** One watched node: its channel, last known status and whether a check is in flight. */
    private static final class NodeState {
        final ManagedChannel channel;
        Health status = Health.UNKNOWN;
        boolean checking;
        long lastCheckMillis;
        boolean everChecked;

        NodeState(ManagedChannel channel) {
            this.channel = channel;
        }
    }

    private final String observer;
    private final Duration interval;
    private final Duration timeout;
    private final Duration heartbeat;
    private final TlsConfig tls;
    private final Clock clock;
    private final Consumer<HealthEvent> sink;
    private final ProducerMetrics metrics;
    private final Map<String, NodeState> nodes = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler;
    private final ReadyWatch readyWatch = new ReadyWatch();
    private volatile boolean closed;

    HealthMonitor(String observer, Duration interval, Duration timeout, Duration heartbeat, TlsConfig tls, Clock clock,
                  Consumer<HealthEvent> sink, ProducerMetrics metrics) {
        this.observer = observer;
        this.interval = interval;
        this.timeout = timeout;
        this.heartbeat = heartbeat;
        this.tls = tls;
        this.clock = clock;
        this.sink = sink;
        this.metrics = metrics;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(Daemons.factory("handoff-health-monitor"));
    }

    void start() {
        long tick = Math.min(interval.toMillis(), DOWN_PROBE.toMillis());
        scheduler.scheduleWithFixedDelay(this::checkAll, 0, tick, TimeUnit.MILLISECONDS);
        scheduler.scheduleAtFixedRate(this::heartbeat, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Starts watching a node (no-op when already watched). */
    void watch(String node) {
        NodeAddress.require("node", node);
        if (!closed) {
            nodes.computeIfAbsent(node, n -> {
                ManagedChannel channel = GrpcChannels.open(n, tls);
                // Connect now, so the first check does not spend its deadline on the handshake.
                channel.getState(true);
                return new NodeState(channel);
            });
        }
    }

    /** The write path failed to reach {@code node}: mark it DOWN now; the monitor notices its return. */
    void reportDown(String node) {
        watch(node);
        observe(node, Health.DOWN, "reported by the write path");
    }

    Health status(String node) {
        NodeState s = nodes.get(node);
        if (s == null) {
            return Health.UNKNOWN;
        }
        synchronized (s) {
            return s.status;
        }
    }

    /** Starts a check of every node that is due; the scheduler calls it every tick (and a unit test directly). */
    void checkAll() {
        long now = clock.millis();
        nodes.forEach((node, state) -> check(node, state, now));
    }

    private void check(String node, NodeState state, long now) {
        synchronized (state) {
            long elapsed = now - state.lastCheckMillis;
            // A clock set back (elapsed < 0) must not keep an UP node unchecked until it catches up.
            boolean due = !state.everChecked || state.status != Health.UP || elapsed < 0 || elapsed >= interval.toMillis();
            if (state.checking || closed || !due) {
                return;
            }
            state.checking = true;
            state.everChecked = true;
            state.lastCheckMillis = now;
        }
        // A node that was down should be seen again at the next check, not after gRPC's reconnect backoff.
        GrpcChannels.reconnectNow(state.channel);
        HealthGrpc.newStub(state.channel).withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
            .check(HealthCheckRequest.getDefaultInstance(), new StreamObserver<>() {
                @Override
                public void onNext(HealthCheckResponse r) {
                    boolean serving = r.getStatus() == HealthCheckResponse.ServingStatus.SERVING;
                    observe(node, serving ? Health.UP : Health.DOWN, "health check: " + r.getStatus());
                }

                @Override
                public void onError(Throwable t) {
                    io.grpc.Status.Code code = io.grpc.Status.fromThrowable(t).getCode();
                    if (code == io.grpc.Status.Code.DEADLINE_EXCEEDED) {
                        // No answer at all: the connection may be dead without a word (a partition), and would stay
                        // READY until keepalive gives up (about 50 s); the next check connects afresh.
                        state.channel.enterIdle();
                    }
                    observe(node, Health.DOWN, "health check: " + code);
                    done(state);
                    if (code == io.grpc.Status.Code.UNAVAILABLE) {
                        // Failed fast: the reconnection this check started may succeed a moment later.
                        readyWatch.whenReady(state.channel, () -> closed || status(node) == Health.UP,
                            () -> checkNow(node, state));
                    }
                }

                @Override
                public void onCompleted() {
                    done(state);
                }
            });
    }

    private void checkNow(String node, NodeState state) {
        try {
            scheduler.execute(() -> check(node, state, clock.millis()));
        } catch (RejectedExecutionException closing) {
            // the monitor closed meanwhile: nothing to check
        }
    }

    /** True while a check of {@code node} is in flight. */
    boolean checking(String node) {
        NodeState s = nodes.get(node);
        if (s == null) {
            return false;
        }
        synchronized (s) {
            return s.checking;
        }
    }

    private static void done(NodeState state) {
        synchronized (state) {
            state.checking = false;
        }
    }

    private void observe(String node, Health status, String why) {
        NodeState state = nodes.get(node);
        if (state == null) {
            return;
        }
        synchronized (state) {
            if (state.status == status) {
                return;
            }
            state.status = status;
            // Published under the node's lock so two racing observations reach Kafka in the order they were made.
            publish(node, status);
        }
        LOGGER.atInfo().addKeyValue("node", node).addKeyValue("status", status).addKeyValue("why", why)
            .log("node health changed");
        metrics.healthTransition(node, status);
    }

    private void heartbeat() {
        nodes.forEach((node, state) -> {
            Health status = status(node);
            if (status != Health.UNKNOWN) {
                publish(node, status);
            }
        });
    }

    private void publish(String node, Health status) {
        try {
            sink.accept(new HealthEvent(node, status, observer, clock.millis()));
        } catch (RuntimeException e) {
            LOGGER.atWarn().addKeyValue("node", node).addKeyValue("error", e.toString()).log("could not publish health");
        }
    }

    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        nodes.values().forEach(s -> GrpcChannels.close(s.channel));
        nodes.clear();
    }
}
