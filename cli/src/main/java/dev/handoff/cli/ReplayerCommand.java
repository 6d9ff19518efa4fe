package dev.handoff.cli;

import dev.handoff.replayer.Replayer;
import dev.handoff.replayer.ReplayerSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code handoff replayer}: one member of the replayer consumer group. Run as many as you like. */
@Command(name = "replayer", mixinStandardHelpOptions = true,
    description = "Consumer group member: delivers handed-off bundles to data nodes and commits each completion with "
        + "its offset in one Kafka transaction. Start more instances with the same --group-id to scale out.")
final class ReplayerCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Option(names = "--group-id", paramLabel = "GROUP",
        description = "Consumer group of all replayers (default: ${DEFAULT-VALUE}).")
    String groupId;
    @Option(names = "--instance-id", paramLabel = "ID",
        description = "Stable id of this instance; its transactional id is <group>-<id>, which fences a previous "
            + "incarnation (default: random per start).")
    String instanceId;
    @Option(names = "--max-in-flight-per-node", paramLabel = "N",
        description = "Bundles streamed to one node at once (default: ${DEFAULT-VALUE}).")
    int maxInFlightPerNode;
    @Option(names = "--adaptive-concurrency", negatable = true, fallbackValue = "true", paramLabel = "BOOLEAN",
        description = "Adapt each node's in-flight bundles between 1 and --max-in-flight-per-node: down on timeouts, "
            + "busy answers or rising latency, up while latency holds (default: ${DEFAULT-VALUE}).")
    boolean adaptiveConcurrency;
    @Option(names = "--max-in-flight-bytes", paramLabel = "BYTES",
        description = "Bytes of all bundles in flight (default: ${DEFAULT-VALUE}).")
    long maxInFlightBytes;
    @Option(names = "--retry-budget", paramLabel = "N",
        description = "Failed attempts of one record before it is parked; an unreachable node does not use it up (default: ${DEFAULT-VALUE}).")
    int retryBudget;
    @Option(names = "--backoff-initial", converter = DurationConverter.class, paramLabel = "DURATION",
        description = "First retry delay, doubled per failure with jitter (default: ${DEFAULT-VALUE}).")
    Duration backoffInitial;
    @Option(names = "--backoff-max", converter = DurationConverter.class, paramLabel = "DURATION",
        description = "Longest retry delay (default: ${DEFAULT-VALUE}).")
    Duration backoffMax;
    @Option(names = "--max-bytes-per-sec", paramLabel = "BYTES",
        description = "Rate limit per node, 0 = off; `handoff throttle` overrides it live (default: ${DEFAULT-VALUE}).")
    long maxBytesPerSec;
    @Option(names = "--max-parts-per-sec", paramLabel = "N",
        description = "Bundles started per second per node, 0 = off; `handoff throttle` overrides it live (default: ${DEFAULT-VALUE}).")
    long maxPartsPerSec;
    @Option(names = "--log-start-advance-interval", converter = DurationConverter.class,
        paramLabel = "DURATION", description = "How often node topics' log start is advanced to the committed offset (default: ${DEFAULT-VALUE}).")
    Duration logStartAdvance;
    @Option(names = "--chunk-size", paramLabel = "BYTES",
        description = "Bytes per file chunk asked from part stores (default: ${DEFAULT-VALUE}).")
    int chunkSize;
    @Option(names = "--delivery-threads", paramLabel = "N",
        description = "Threads streaming bundles (default: ${DEFAULT-VALUE}).")
    int deliveryThreads;
    @Option(names = "--session-timeout", converter = DurationConverter.class, paramLabel = "DURATION",
        description = "Longest a data node may stall a sync session, or a part store a fetch (default: ${DEFAULT-VALUE}).")
    Duration sessionTimeout;
    @Option(names = "--commit-timeout", converter = DurationConverter.class, paramLabel = "DURATION",
        description = "Longest wait in one Kafka transaction step (begin, commit, abort); a commit that times out makes "
            + "the replayer rejoin with a fresh producer (default: ${DEFAULT-VALUE}).")
    Duration commitTimeout;
    @Option(names = "--topology-application-id", paramLabel = "ID",
        description = "The topology's application id: node topics are never trimmed past what it has read, so every "
            + "bundle's targets reach it (default: ${DEFAULT-VALUE}; empty turns the guard off).")
    String topologyApplicationId;
    @Option(names = "--allowed-sources", split = ",", paramLabel = "PATTERN|CIDR",
        description = "Part stores a record's source may name: host patterns (*.liaisons.example) or CIDRs (10.0.0.0/8, "
            + "IP literals only); a record outside is parked not-allowed, never fetched (default: any).")
    List<String> allowedSources = List.of();
    @Option(names = "--allowed-nodes", split = ",", paramLabel = "PATTERN|CIDR",
        description = "Data nodes a record's node may name, the same way; a record outside is parked not-allowed, "
            + "never dialled (default: any).")
    List<String> allowedNodes = List.of();
    @Mixin
    NodeTlsOptions clientTls;
    @Mixin
    SinkOptions sink;
    @Mixin
    RoleRunner runner;

    ReplayerSettings settings() {
        ReplayerSettings.Builder b = ReplayerSettings.builder(common.kafka())
            .topicPrefix(common.topicPrefix)
            .groupId(groupId)
            .maxInFlightPerNode(maxInFlightPerNode)
            .maxInFlightBytes(maxInFlightBytes)
            .adaptiveConcurrency(adaptiveConcurrency)
            .retryBudget(retryBudget)
            .backoff(backoffInitial, backoffMax)
            .maxBytesPerSec(maxBytesPerSec)
            .maxPartsPerSec(maxPartsPerSec)
            .logStartAdvanceInterval(logStartAdvance)
            .chunkSize(chunkSize)
            .deliveryThreads(deliveryThreads)
            .sessionTimeout(sessionTimeout)
            .commitTimeout(commitTimeout)
            .fetchTls(clientTls.config())
            .syncTls(clientTls.config())
            .topologyApplicationId(topologyApplicationId)
            .sinkFactory(sink.factory())
            .allowedSources(allowedSources)
            .allowedNodes(allowedNodes);
        if (instanceId != null) {
            b.instanceId(instanceId);
        }
        return b.build();
    }

    @Override
    public Integer call() throws Exception {
        ReplayerSettings settings = settings();
        Replayer replayer = new Replayer(settings, runner.registry(), Clock.systemUTC());
        replayer.start();
        return runner.runUntilStopped(RoleRunner.Role.of(replayer::isReady, replayer::failure, replayer),
            "replayer: " + settings.replayerName() + " in group " + groupId);
    }
}
