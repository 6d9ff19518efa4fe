package dev.handoff.cli;

import dev.handoff.cli.sim.SimulationRunner;
import dev.handoff.producer.HandoffProducer;
import dev.handoff.producer.ProducerSettings;
import dev.handoff.protocol.NodeAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code handoff producer}: the liaison side as a process of its own. */
@Command(name = "producer", mixinStandardHelpOptions = true,
    description = "Liaison side: serves the part store (PartStore.Fetch), republishes unpublished bundles at start, "
        + "watches data-node health, deletes released bundles.")
final class ProducerCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Mixin
    TopicOptions topicOptions;
    @Option(names = "--store-dir", required = true, paramLabel = "DIR",
        description = "Root of the part store; put it on the liaison's data file system so parts are hard-linked, not copied.")
    Path storeDir;
    @Option(names = "--liaison", required = true, paramLabel = "NAME", description = "This liaison's name ([A-Za-z0-9._-]).")
    String liaison;
    @Option(names = "--listen", paramLabel = "HOST:PORT",
        description = "PartStore gRPC address (default: ${DEFAULT-VALUE}).")
    String listen;
    @Option(names = "--advertised-address", paramLabel = "HOST:PORT",
        description = "Address replayers fetch from, written into every record's source (default: this host and the bound port).")
    String advertised;
    @Mixin
    StoreLimitOptions storeLimits;
    @Option(names = "--store-max-bytes-per-node", paramLabel = "BYTES",
        description = "Largest total size of the stored bundles still pending for one node (a bundle counts in full "
            + "against each target's quota, once against the store); a refusal names the node (default: none).")
    Long storeMaxBytesPerNode;
    @Option(names = "--max-age", converter = DurationConverter.class, paramLabel = "DURATION",
        description = "Records expire this long after their enqueue: completed as EXPIRED, never delivered, and their "
            + "bundle released (default: off, records carry expiresAt null).")
    Duration maxAge;
    @Option(names = "--chunk-size", paramLabel = "BYTES",
        description = "Fetch chunk size (default: ${DEFAULT-VALUE}).")
    int chunkSize;
    @Option(names = "--nodes", split = ",", paramLabel = "HOST:PORT", description = "Data nodes to health-check from the start.")
    List<String> nodes = List.of();
    @Option(names = "--health-interval", converter = DurationConverter.class, paramLabel = "DURATION",
        description = "Health-check interval (default: ${DEFAULT-VALUE}).")
    Duration healthInterval;
    @Option(names = "--health-timeout", converter = DurationConverter.class, paramLabel = "DURATION",
        description = "Deadline of one health check (default: ${DEFAULT-VALUE}).")
    Duration healthTimeout;
    @Option(names = "--health-heartbeat", converter = DurationConverter.class, paramLabel = "DURATION",
        description = "Publish every node's health this often even without a change (default: ${DEFAULT-VALUE}).")
    Duration heartbeat;
    @Option(names = "--publish-timeout", converter = DurationConverter.class, paramLabel = "DURATION",
        description = "How long an enqueue waits for Kafka's acknowledgements, topic creation included; a Kafka client "
            + "that leaves a publish unacknowledged this long is replaced (default: ${DEFAULT-VALUE}).")
    Duration publishTimeout;
    @Option(names = "--republish-interval", converter = DurationConverter.class, paramLabel = "DURATION",
        description = "How often bundles whose publish failed are published again (default: ${DEFAULT-VALUE}).")
    Duration republishInterval;
    @Option(names = "--enqueue-root", paramLabel = "DIR",
        description = "Accept `handoff enqueue` (handoff.v1.Liaison.Enqueue) for part directories under DIR on this host "
            + "(default: not served).")
    Path enqueueRoot;
    @Option(names = "--simulate-parts", defaultValue = "0", paramLabel = "N",
        description = "DEMO: run a simulated liaison that writes N realistic parts for --nodes, shipping each to the "
            + "owners that answer and handing it off for the others (default: ${DEFAULT-VALUE} = off).")
    int simulateParts;
    @Option(names = "--simulate-interval", defaultValue = "200ms", converter = DurationConverter.class,
        paramLabel = "DURATION", description = "DEMO: pause between simulated parts (default: ${DEFAULT-VALUE}).")
    Duration simulateInterval;
    @Option(names = "--simulate-layout", defaultValue = "handoff", paramLabel = "handoff|banyandb",
        description = "DEMO: the simulated liaison's part layout; banyandb writes BanyanDB parts (core + two sidx) and "
            + "hands each off for every --nodes, which are then BanyanDB receivers (default: ${DEFAULT-VALUE}).")
    String simulateLayout;
    @Option(names = "--enqueue-listen", paramLabel = "HOST:PORT",
        description = "Address of the Enqueue gRPC server, a listener of its own, with --enqueue-root; beyond loopback "
            + "only with mTLS (--enqueue-tls-*) (default: ${DEFAULT-VALUE}).")
    String enqueueListen;
    @Mixin
    EnqueueTlsOptions enqueueTls;
    @Option(names = "--store-check-interval", converter = DurationConverter.class, paramLabel = "DURATION",
        description = "How often the store is compared with Kafka (sizes only) for the handoff.store.check.* gauges; "
            + "0s: never (default: ${DEFAULT-VALUE}).")
    Duration storeCheckInterval;
    @Option(names = "--replayer-group-id", paramLabel = "GROUP",
        description = "The replayers' consumer group, for the store check (default: ${DEFAULT-VALUE}).")
    String replayerGroupId;
    @Mixin
    TlsOptions tls;
    @Mixin
    NodeTlsOptions nodeTls;
    @Mixin
    RoleRunner runner;

    ProducerSettings settings() {
        NodeAddress.require("--listen", listen);
        NodeAddress.require("--enqueue-listen", enqueueListen);
        return ProducerSettings.builder(storeDir, liaison, common.kafka())
            .listen(NodeAddress.host(listen), NodeAddress.port(listen))
            .advertisedAddress(advertised)
            .topicPrefix(common.topicPrefix)
            .nodeTopics(topicOptions.settings())
            .fixedTopics(topicOptions.settings())
            .storeLimits(storeLimits.maxBytes(), storeLimits.maxPercent())
            .chunkSizeBytes(chunkSize)
            .healthInterval(healthInterval)
            .healthTimeout(healthTimeout)
            .heartbeatInterval(heartbeat)
            .publishTimeout(publishTimeout)
            .republishInterval(republishInterval)
            .nodes(nodes)
            .serverTls(tls.config())
            .clientTls(nodeTls.config())
            .enqueueRoot(enqueueRoot)
            .storeMaxBytesPerNode(storeMaxBytesPerNode)
            .maxAge(maxAge)
            .enqueueListen(NodeAddress.host(enqueueListen), NodeAddress.port(enqueueListen))
            .enqueueTls(enqueueTls.config())
            .storeCheckInterval(storeCheckInterval.isZero() ? null : storeCheckInterval)
            .replayerGroupId(replayerGroupId)
            .build();
    }

    @Override
    public Integer call() throws Exception {
        if (simulateParts < 0) {
            throw new UsageException("--simulate-parts: 0 or more, got " + simulateParts);
        }
        if (!simulateLayout.equals("handoff") && !simulateLayout.equals("banyandb")) {
            throw new UsageException("--simulate-layout: handoff or banyandb, got " + simulateLayout);
        }
        ProducerSettings settings = settings();
        HandoffProducer producer = new HandoffProducer(settings, runner.registry(), Clock.systemUTC());
        producer.start();
        SimulationRunner simulation = simulateParts == 0 ? null
            : new SimulationRunner(producer, settings.kafka(), storeDir.resolve(".simulated-liaison-data"), liaison, nodes,
                simulateParts, simulateInterval, simulateLayout.equals("banyandb")).start();
        return runner.runUntilStopped(RoleRunner.Role.of(producer::isReady, producer::failure, () -> {
            if (simulation != null) {
                simulation.close();
            }
            producer.close();
        }), "producer: liaison " + liaison + " serving its part store on " + producer.advertisedAddress());
    }
}
