package dev.handoff.cli;

import dev.handoff.datanode.DataNodeSettings;
import dev.handoff.producer.EnqueueServerSettings;
import dev.handoff.producer.PartStoreServerSettings;
import dev.handoff.producer.ProducerSettings;
import dev.handoff.producer.StoreLimits;
import dev.handoff.protocol.common.KafkaSettings;
import dev.handoff.protocol.common.TopicAdmin.TopicSettings;
import dev.handoff.replayer.ReplayerSettings;
import dev.handoff.topology.TopologySettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The default of every option that sets a role's settings, read from the settings records that own them
 * (a settings record built with no options given), so the CLI declares no default of its own and
 * {@code --help} shows exactly what the library uses. Options that exist only in the CLI keep their default in
 * their {@code @Option}.
 */
final class SettingsDefaults {
    /** Options with the same meaning and default in every verb that has them. */
    private static final Map<String, String> EVERY_VERB = Map.of(
        "--partitions", text(TopicSettings.created().partitions()),
        "--replication-factor", text(TopicSettings.created().replicationFactor()),
        "--store-max-percent", text(StoreLimits.DEFAULT_MAX_PERCENT),
        "--producer-port", text(PartStoreServerSettings.DEFAULT_PORT),
        "--enqueue-port", text(EnqueueServerSettings.DEFAULT_PORT),
        "--producer", "localhost:" + EnqueueServerSettings.DEFAULT_PORT);
    /** Per verb, the options whose default differs from (or is absent in) {@link #EVERY_VERB}. */
    private static final Map<String, Map<String, String>> BY_VERB = Map.of(
        "replayer", replayer(), "producer", producer(), "topology", topology(), "datanode", datanode());

    private SettingsDefaults() {
    }

    /** The settings' default of this option in the verb it belongs to, if the option sets a settings field. */
    static Optional<String> of(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option) || arg.command() == null) {
            return Optional.empty();
        }
        return of(arg.command().name(), option.longestName());
    }

    static Optional<String> of(String verb, String longName) {
        String perVerb = BY_VERB.getOrDefault(verb, Map.of()).get(longName);
        return Optional.ofNullable(perVerb != null ? perVerb : EVERY_VERB.get(longName));
    }

    /** How a default is written on the command line: durations as {@code 800ms} or {@code 2s}. */
    static String text(Object value) {
        if (value instanceof Duration d) {
            return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
        }
        if (value instanceof Double d && d == Math.rint(d)) {
            return Long.toString(d.longValue());
        }
        return String.valueOf(value);
    }

    private static Map<String, String> replayer() {
        ReplayerSettings d = ReplayerSettings.builder(KafkaSettings.of(KafkaSettings.DEFAULT_BOOTSTRAP_SERVERS)).build();
        Map<String, String> m = new HashMap<>();
        m.put("--group-id", d.groupId());
        m.put("--max-in-flight-per-node", text(d.limits().maxInFlightPerNode()));
        m.put("--max-in-flight-bytes", text(d.limits().maxInFlightBytes()));
        m.put("--retry-budget", text(d.retryBudget()));
        m.put("--backoff-initial", text(d.backoffInitial()));
        m.put("--backoff-max", text(d.backoffMax()));
        m.put("--max-bytes-per-sec", text(d.limits().maxBytesPerSec()));
        m.put("--max-parts-per-sec", text(d.limits().maxPartsPerSec()));
        m.put("--log-start-advance-interval", text(d.logStart().advanceInterval()));
        m.put("--chunk-size", text(d.connections().chunkSize()));
        m.put("--delivery-threads", text(d.limits().deliveryThreads()));
        m.put("--session-timeout", text(d.sessionTimeout()));
        m.put("--commit-timeout", text(d.commitTimeout()));
        m.put("--topology-application-id", d.logStart().topologyApplicationId());
        m.put("--adaptive-concurrency", text(d.limits().adaptiveConcurrency()));
        return Map.copyOf(m);
    }

    private static Map<String, String> producer() {
        ProducerSettings d = ProducerSettings.builder(Path.of("store"), "liaison",
            KafkaSettings.of(KafkaSettings.DEFAULT_BOOTSTRAP_SERVERS)).build();
        return Map.of(
            "--listen", d.partStore().host() + ":" + d.partStore().port(),
            "--chunk-size", text(d.partStore().chunkSizeBytes()),
            "--health-interval", text(d.health().interval()),
            "--health-timeout", text(d.health().timeout()),
            "--health-heartbeat", text(d.health().heartbeatInterval()),
            "--publish-timeout", text(d.publish().timeout()),
            "--republish-interval", text(d.publish().republishInterval()),
            "--enqueue-listen", d.enqueue().host() + ":" + d.enqueue().port(),
            "--store-check-interval", text(d.storeCheck().interval()),
            "--replayer-group-id", d.storeCheck().replayerGroupId());
    }

    private static Map<String, String> topology() {
        TopologySettings d = TopologySettings.builder(KafkaSettings.of(KafkaSettings.DEFAULT_BOOTSTRAP_SERVERS)).build();
        return Map.ofEntries(
            Map.entry("--application-id", d.applicationId()),
            Map.entry("--state-dir", d.stateDir().toString()),
            Map.entry("--replication-factor", text(d.replicationFactor())),
            Map.entry("--commit-interval", text(d.commitInterval())),
            Map.entry("--internal-partitions", text(d.internalPartitions())),
            Map.entry("--stream-threads", text(d.streamThreads())),
            Map.entry("--metadata-max-age", text(d.metadataMaxAge())),
            Map.entry("--create-topics", text(d.createTopics())),
            Map.entry("--partitions", text(d.topics().partitions())),
            Map.entry("--topic-replication-factor", text(d.topics().replicationFactor())));
    }

    private static Map<String, String> datanode() {
        DataNodeSettings d = DataNodeSettings.builder(Path.of("data")).build();
        return Map.of(
            "--listen", d.listenHost() + ":" + d.port(),
            "--test-latency-per-session", text(d.testLatencyPerSession()),
            "--test-failure-rate", text(d.testFailureRate()));
    }
}
