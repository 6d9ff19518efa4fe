package dev.handoff.cli;

import dev.handoff.cli.Preflight.Check;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.common.TopicAdmin;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code handoff doctor}'s checks against Kafka, through one admin client: reachable, the fixed topics with
 * their documented configs, the rights each role needs ({@link AclChecks}), and the clock against the broker's.
 */
record KafkaChecks(Admin admin, Topics topics, Duration timeout) {

    /** The cluster answers with its id and brokers. */
    Check reachable(String bootstrap) {
        try {
            DescribeClusterResult cluster = admin.describeCluster();
            String id = cluster.clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            int brokers = cluster.nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
            return Check.ok("kafka", bootstrap + " answers: cluster " + id + ", " + brokers + " broker(s)");
        } catch (ExecutionException | TimeoutException e) {
            return Check.fail("kafka", "cannot reach " + bootstrap + " within " + timeout.toSeconds() + " s: " + Preflight.why(e)
                + "; check --bootstrap-servers and --kafka-config");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Check.fail("kafka", "interrupted");
        }
    }

    /** One check per fixed topic: it exists, with the configs {@code handoff init} gives it, RF and min ISR as expected. */
    List<Check> topics(short replicationFactor, Integer minInsyncReplicas) throws InterruptedException {
        Map<String, Map<String, String>> expected = TopicAdmin.fixedTopicConfigs(topics);
        List<Check> out = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> e : expected.entrySet()) {
            String name = "topic " + e.getKey();
            try {
                TopicDescription d = admin.describeTopics(List.of(e.getKey())).allTopicNames()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(e.getKey());
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, e.getKey());
                Config config = admin.describeConfigs(List.of(resource)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .get(resource);
                out.add(topic(name, d, config, e.getValue(), replicationFactor, minInsyncReplicas));
            } catch (ExecutionException ex) {
                out.add(ex.getCause() instanceof UnknownTopicOrPartitionException
                    ? Check.fail(name, "does not exist; run handoff init")
                    : Check.fail(name, "cannot describe it: " + Preflight.why(ex)));
            } catch (TimeoutException ex) {
                out.add(Check.fail(name, "no answer within " + timeout.toSeconds() + " s"));
            }
        }
        return out;
    }

    private static Check topic(String name, TopicDescription d, Config config, Map<String, String> expected,
                               short replicationFactor, Integer minInsyncReplicas) {
        List<String> wrong = new ArrayList<>();
        expected.forEach((key, value) -> {
            String actual = config.get(key) == null ? null : config.get(key).value();
            if (!value.equals(actual)) {
                wrong.add(key + "=" + actual + ", documented " + value);
            }
        });
        int rf = d.partitions().stream().mapToInt(p -> p.replicas().size()).min().orElse(0);
        if (rf < replicationFactor) {
            wrong.add("replication factor " + rf + " < --replication-factor " + replicationFactor);
        }
        String isr = config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG) == null ? "?"
            : config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value();
        if (minInsyncReplicas != null && !isr.equals("?") && Integer.parseInt(isr) < minInsyncReplicas) {
            wrong.add("min.insync.replicas " + isr + " < --min-insync-replicas " + minInsyncReplicas);
        }
        String summary = expected.getOrDefault(TopicConfig.CLEANUP_POLICY_CONFIG, "") + ", " + d.partitions().size()
            + " partition(s), RF " + rf + ", min ISR " + isr;
        return wrong.isEmpty() ? Check.ok(name, summary) : Check.fail(name, String.join("; ", wrong));
    }

    /**
     * The rights {@code roles} need, as {@code principal} (null: not known): {@code acls.topics}, {@code acls.groups},
     * {@code acls.transactional-ids}.
     */
    List<Check> acls(Set<AclNeeds.Role> roles, AclNeeds.Ids ids, String principal) throws InterruptedException {
        AclView view = AclView.read(admin, timeout, principal, topics.fixed());
        return new AclChecks(admin, timeout, view).run(roles, AclNeeds.of(roles, ids), AclNeeds.unnamed(roles, ids));
    }

    /**
     * This host's clock against the broker's: a record produced to a probe topic with
     * {@code message.timestamp.type=LogAppendTime} comes back with the broker's time; the skew is that time
     * minus the midpoint of the send, less half the round trip. The probe topic is deleted again.
     */
    Check clock(Map<String, Object> producerConfig, Clock clock, Duration maxSkew) throws InterruptedException {
        String name = "clock";
        String probe = topics.prefix() + ".doctor-" + UUID.randomUUID().toString().substring(0, 8);
        try {
            admin.createTopics(List.of(new NewTopic(probe, 1, (short) -1)
                .configs(Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime"))))
                .all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return Check.skip(name, "cannot create the probe topic " + probe + ": " + Preflight.why(e));
        }
        Check measured = measure(probe, producerConfig, clock, maxSkew);
        try {
            admin.deleteTopics(List.of(probe)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return measured;
        } catch (ExecutionException | TimeoutException e) {
            return new Check(name, measured.status(), measured.detail() + "; the probe topic " + probe
                + " could not be deleted (" + Preflight.why(e) + "): delete it by hand");
        }
    }

    private Check measure(String probe, Map<String, Object> producerConfig, Clock clock, Duration maxSkew)
        throws InterruptedException {
        String name = "clock";
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            // warm up (metadata, connection) so the measured send is one round trip
            producer.send(new ProducerRecord<>(probe, new byte[0])).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            long before = clock.millis();
            RecordMetadata m = producer.send(new ProducerRecord<>(probe, new byte[0])).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            long after = clock.millis();
            long skew = m.timestamp() - (before + after) / 2;
            long bound = Math.max(0, Math.abs(skew) - (after - before) / 2);
            String numbers = "this host is " + Math.abs(skew) + " ms " + (skew > 0 ? "behind" : "ahead of") + " the broker (round trip "
                + (after - before) + " ms)";
            return bound <= maxSkew.toMillis() ? Check.ok(name, numbers)
                : Check.fail(name, numbers + ", more than --max-clock-skew " + maxSkew.toMillis()
                    + " ms: ages, expiries and TRUNCATE times are compared across hosts; run NTP");
        } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
            return Check.fail(name, "cannot produce to the probe topic " + probe + ": " + Preflight.why(e));
        }
    }
}
