package dev.handoff.protocol.common;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.KafkaFuture;
import dev.handoff.protocol.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates topics through the Admin API with explicit settings; an existing topic is fine.
 * Nothing in handoff relies on broker auto-creation.
 */
public final class TopicAdmin {

    /** Partitions, replication factor and {@code min.insync.replicas} of the topics a role creates. */
    public record TopicSettings(int partitions, short replicationFactor, Integer minInsyncReplicas) {
        public TopicSettings {
            if (partitions < 1) {
                throw new dev.handoff.protocol.InvalidFieldException("partitions", partitions, "at least 1");
            }
            if (replicationFactor < 1) {
                throw new dev.handoff.protocol.InvalidFieldException("replicationFactor", replicationFactor, "at least 1");
            }
            if (minInsyncReplicas != null && (minInsyncReplicas < 1 || minInsyncReplicas > replicationFactor)) {
                throw new dev.handoff.protocol.InvalidFieldException("minInsyncReplicas", minInsyncReplicas,
                    "between 1 and the replication factor " + replicationFactor);
            }
        }

        /** Partitions of the topics an operator's verb creates ({@code --partitions}). */
        public static final int DEFAULT_PARTITIONS = 3;
        /** Replication factor of the topics an operator's verb creates ({@code --replication-factor}). */
        public static final short DEFAULT_REPLICATION_FACTOR = 1;

        /** One partition, one replica: a single embedded broker; the library roles' default. */
        public static TopicSettings single() {
            return new TopicSettings(1, (short) 1, null);
        }

        /**
         * What the CLI's verbs create ({@code init}, {@code producer}, {@code run}): {@value #DEFAULT_PARTITIONS}
         * partitions, so more than one replayer and topology thread can share a topic; RF 1 and the broker's min ISR.
         */
        public static TopicSettings created() {
            return new TopicSettings(DEFAULT_PARTITIONS, DEFAULT_REPLICATION_FACTOR, null);
        }
    }

    private TopicAdmin() {
    }

    /** Configs of a node topic: records stay until completed (the replayer advances the log start). */
    public static Map<String, String> nodeTopicConfigs() {
        return Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1", TopicConfig.RETENTION_BYTES_CONFIG, "-1",
            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
    }

    /** Configs of a compacted topic keyed by node ({@code node-status}). */
    public static Map<String, String> compactedConfigs() {
        return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
    }

    /** Configs of an event topic that must never lose an unread event (completions, parked, ...). */
    public static Map<String, String> keepForeverConfigs() {
        return nodeTopicConfigs();
    }

    /**
     * The configs of each fixed topic of the contract. Event topics whose loss would lose work or
     * evidence (control, completions, released, parked, quarantine) keep records forever, and {@code enqueued}
     * until the topology has read them; {@code health} is a stream of
     * heartbeats and keeps the broker's default retention; {@code node-status} is compacted.
     */
    public static Map<String, Map<String, String>> fixedTopicConfigs(Topics topics) {
        Map<String, Map<String, String>> out = new java.util.LinkedHashMap<>();
        out.put(topics.health(), Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE));
        out.put(topics.control(), keepForeverConfigs());
        out.put(topics.completions(), keepForeverConfigs());
        out.put(topics.nodeStatus(), compactedConfigs());
        out.put(topics.released(), keepForeverConfigs());
        out.put(topics.parked(), keepForeverConfigs());
        out.put(topics.quarantine(), keepForeverConfigs());
        // Kept until read: the topology deletes the copies it has committed past.
        out.put(topics.enqueued(), keepForeverConfigs());
        return out;
    }

    /**
     * Creates every fixed topic that does not exist yet, with its configs ({@link #fixedTopicConfigs}).
     * Every role calls this at start, and {@code handoff init} does too, so they always agree.
     * Returns the topics this call created.
     */
    public static List<String> ensureFixed(Admin admin, Topics topics, TopicSettings settings)
        throws ExecutionException, InterruptedException {
        List<String> created = new java.util.ArrayList<>();
        for (Map.Entry<String, Map<String, String>> e : fixedTopicConfigs(topics).entrySet()) {
            if (ensure(admin, e.getKey(), settings, e.getValue())) {
                created.add(e.getKey());
            }
        }
        return created;
    }

    /**
     * Creates the topic unless it exists. Returns true when this call created it.
     *
     * @throws ExecutionException when the broker refuses for another reason (authorization, RF too high)
     */
    public static boolean ensure(Admin admin, String topic, TopicSettings settings, Map<String, String> configs)
        throws ExecutionException, InterruptedException {
        try {
            return ensure(admin, topic, settings, configs, null);
        } catch (TimeoutException e) {
            throw new IllegalStateException("unreachable: no timeout was given", e);
        }
    }

    /**
     * As {@link #ensure(Admin, String, TopicSettings, Map)}, waiting at most {@code timeout} (null: the
     * admin client's {@code default.api.timeout.ms}).
     *
     * @throws TimeoutException when the broker did not answer within {@code timeout}
     */
    public static boolean ensure(Admin admin, String topic, TopicSettings settings, Map<String, String> configs,
                                 Duration timeout) throws ExecutionException, InterruptedException, TimeoutException {
        Map<String, String> all = new HashMap<>(configs);
        Optional.ofNullable(settings.minInsyncReplicas())
            .ifPresent(m -> all.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(m)));
        NewTopic newTopic = new NewTopic(topic, settings.partitions(), settings.replicationFactor()).configs(all);
        try {
            KafkaFuture<Void> created = admin.createTopics(List.of(newTopic)).all();
            if (timeout == null) {
                created.get();
            } else {
                created.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            }
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return false;
            }
            throw e;
        }
    }
}
