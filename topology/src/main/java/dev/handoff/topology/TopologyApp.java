package dev.handoff.topology;

import dev.handoff.protocol.common.KafkaClientSupplier;
import dev.handoff.protocol.common.TopicAdmin;
import dev.handoff.protocol.common.Durable;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link HandoffTopology} with {@code processing.guarantee=exactly_once_v2}: state stores,
 * status and release outputs and input offsets commit atomically, so a restart neither loses nor
 * double-counts anything. Owns its {@link KafkaStreams}; {@link #start()} and {@link #close()} may be
 * called from any thread (synchronized); the stream threads belong to Kafka Streams.
 */
public final class TopologyApp implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(TopologyApp.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private static final String INSTANCE_FILE = "enqueue-relay.id";

    private final TopologySettings settings;
    private final Topology topology;
    private final TopologyMetrics metrics;
    private KafkaStreams streams;
    private final KafkaClientSupplier clients;
    private EnqueueRelay relay;

    public TopologyApp(TopologySettings settings, MeterRegistry registry) {
        this(settings, registry, KafkaClientSupplier.real());
    }

    /**
     * @param clients makes the relay's and the topic set-up's Kafka clients (the Streams threads make their own,
     *     as Kafka Streams does)
     */
    public TopologyApp(TopologySettings settings, MeterRegistry registry, KafkaClientSupplier clients) {
        this.settings = settings;
        this.clients = clients;
        this.metrics = TopologyMetrics.micrometer(registry);
        this.topology = topology(settings, metrics);
    }

    /** The topology text of these settings ({@code bin/handoff topology --describe}); needs no Kafka. */
    public static String describe(TopologySettings settings) {
        return topology(settings, TopologyMetrics.none()).describe().toString();
    }

    public String describe() {
        return topology.describe().toString();
    }

    /** Creates the missing fixed topics (when configured) and starts the stream threads. */
    public synchronized void start() throws ExecutionException, InterruptedException {
        if (streams != null) {
            throw new IllegalStateException("topology already started");
        }
        if (settings.createTopics()) {
            ensureTopics();
        }
        EnqueueRelay r = new EnqueueRelay(settings, instanceId(), metrics, java.time.Clock.systemUTC(),
            EnqueueRelay.PURGE_INTERVAL, clients);
        KafkaStreams s = new KafkaStreams(topology, properties());
        ThreadFailurePolicy policy = new ThreadFailurePolicy(10, java.time.Duration.ofMinutes(5), java.time.Clock.systemUTC());
        s.setUncaughtExceptionHandler(e -> {
            metrics.streamThreadFailure();
            StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse response = policy.onFailure();
            // Not expected: the topology reads only fixed topics (node topics reach it through the relay).
            LOGGER.atWarn().addKeyValue("applicationId", settings.applicationId()).addKeyValue("response", response)
                .addKeyValue("error", e.toString()).log("topology stream thread failed");
            LOGGER.atDebug().setCause(e).log("stream thread failure");
            return response;
        });
        s.setStateListener((now, before) -> LOGGER.atInfo().addKeyValue("state", now).addKeyValue("previous", before)
            .log("topology state changed"));
        streams = s;
        relay = r;
        r.start();
        s.start();
        LOGGER.atInfo().addKeyValue("applicationId", settings.applicationId()).addKeyValue("prefix", settings.topicPrefix())
            .log("topology started");
    }

    /** True while every stream thread is running (not starting, rebalancing or failed) and the relay runs: for /readyz. */
    public synchronized boolean isReady() {
        return streams != null && streams.state() == KafkaStreams.State.RUNNING && relay.isRunning();
    }

    /**
     * Why this instance stopped working for good, if it did: the relay's fatal Kafka failure (authorization,
     * configuration), or Kafka Streams in its ERROR state. The role exits 1 on it.
     */
    public synchronized Optional<String> failure() {
        if (relay != null && relay.failure().isPresent()) {
            return relay.failure();
        }
        if (streams != null && (streams.state() == KafkaStreams.State.ERROR
            || streams.state() == KafkaStreams.State.PENDING_ERROR)) {
            return Optional.of("the topology's Kafka Streams instance is in state " + streams.state()
                + " (see the stream thread failures logged before)");
        }
        return Optional.empty();
    }

    /** Kafka Streams' state, or null before {@link #start()}. */
    public synchronized KafkaStreams.State state() {
        return streams == null ? null : streams.state();
    }

    @Override
    public synchronized void close() {
        if (relay != null) {
            relay.close();
            relay = null;
        }
        if (streams != null) {
            // Leave the group so that another instance (or this one restarted) takes the tasks over at
            // once instead of after the session timeout.
            streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(CLOSE_TIMEOUT));
            streams = null;
        }
    }

    Properties properties() {
        Properties p = new Properties();
        // A replaced stream thread's old member does not leave the group (Streams never does on close): a
        // short session lets its successor take the tasks over in seconds, not 45. Overridable.
        p.put(StreamsConfig.consumerPrefix(org.apache.kafka.clients.consumer.ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
        p.put(StreamsConfig.consumerPrefix(org.apache.kafka.clients.consumer.ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 2_000);
        p.putAll(settings.kafka().properties());
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.kafka().bootstrapServers());
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.applicationId());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, settings.stateDir().toString());
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, settings.replicationFactor());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, settings.commitInterval().toMillis());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, settings.streamThreads());
        // New node topics are found through the pattern subscription on the next metadata refresh.
        p.put(CommonClientConfigs.METADATA_MAX_AGE_CONFIG, settings.metadataMaxAge().toMillis());
        return p;
    }

    /**
     * This instance's stable id, kept in its state directory ({@value #INSTANCE_FILE}): the relay's transactional
     * id, so that a restart fences the instance's previous incarnation and aborts its open transaction at once.
     */
    private String instanceId() {
        Path file = settings.stateDir().resolve(INSTANCE_FILE);
        try {
            if (Files.exists(file)) {
                String id = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (id.matches("[0-9a-f-]{36}")) {
                    return id;
                }
                LOGGER.atWarn().addKeyValue("file", file).log("unreadable relay instance id; making a new one");
            }
            Durable.createDirectories(settings.stateDir());
            String id = UUID.randomUUID().toString();
            Durable.writeAtomically(file, id.getBytes(StandardCharsets.UTF_8));
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the relay instance id in " + file, e);
        }
    }

    private void ensureTopics() throws ExecutionException, InterruptedException {
        try (Admin admin = clients.admin(settings.kafka().admin())) {
            for (String topic : TopicAdmin.ensureFixed(admin, settings.topicNames(), settings.topics())) {
                LOGGER.atInfo().addKeyValue("topic", topic).log("created topic");
            }
        }
    }

    private static Topology topology(TopologySettings settings, TopologyMetrics metrics) {
        StreamsBuilder builder = HandoffTopology.build(new StreamsBuilder(), settings.topicNames(),
            settings.internalPartitions(), metrics);
        return builder.build();
    }
}
