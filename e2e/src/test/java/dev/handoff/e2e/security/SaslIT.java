package dev.handoff.e2e.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import dev.handoff.datanode.DataNode;
import dev.handoff.datanode.DataNodeSettings;
import dev.handoff.embedded.EmbeddedKafkaCluster;
import dev.handoff.producer.Bundle;
import dev.handoff.producer.HandoffProducer;
import dev.handoff.producer.ProducerSettings;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.common.KafkaSettings;
import dev.handoff.replayer.Replayer;
import dev.handoff.replayer.ReplayerSettings;
import dev.handoff.testkit.KafkaClusterExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Kafka security through {@code --kafka-config}: a SASL_PLAINTEXT broker with SCRAM-SHA-512 users and
 * the standard authorizer (nothing allowed without an ACL). The producer and the replayer each run as
 * their own user with exactly the ACLs docs/SECURITY.md lists, credentials read from a properties file
 * by {@link KafkaSettings#loadProperties}. Every log event of the JVM is captured and searched for the
 * passwords. (SASL_SSL is not exercised: the kit's SSL listener needs keystores we would have to wire
 * into the broker; the client side of SSL is plain Kafka client configuration.)
 */
class SaslIT {
    private static final String PRODUCER_USER = "handoff-producer";
    private static final String REPLAYER_USER = "handoff-replayer";
    private static final String PRODUCER_PASSWORD = "pw-" + UUID.randomUUID();
    private static final String REPLAYER_PASSWORD = "pw-" + UUID.randomUUID();
    private static final String WRONG_PASSWORD = "wrong-" + UUID.randomUUID();
    private static final String PREFIX = "sec";
    private static final String LIAISON = "liaison-sasl";
    private static final String GROUP = "handoff-replayer";

    static EmbeddedKafkaCluster cluster;
    static ListAppender<ILoggingEvent> logs;
    static Map<String, Level> savedLevels = new java.util.HashMap<>();

    @TempDir
    Path tmp;

    @BeforeAll
    static void startSecuredBroker() throws Exception {
        captureLogs();
        cluster = EmbeddedKafkaCluster.startSasl(Map.of());
        cluster.createScramUser(PRODUCER_USER, PRODUCER_PASSWORD);
        cluster.createScramUser(REPLAYER_USER, REPLAYER_PASSWORD);
        RoleAcls.grant(cluster, PREFIX, PRODUCER_USER, RoleAcls.producer(PREFIX, LIAISON));
        RoleAcls.grant(cluster, PREFIX, REPLAYER_USER, RoleAcls.replayer(PREFIX, GROUP));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(logs);
        savedLevels.forEach((name, level) -> context.getLogger(name).setLevel(level));
    }

    @Test
    void shouldEnqueueAndDeliverWithScramCredentialsFromAKafkaConfigFileAndNeverLogThem() throws Exception {
        // Given each role's credentials in its own --kafka-config file
        KafkaSettings producerKafka = kafka(PRODUCER_USER, PRODUCER_PASSWORD);
        KafkaSettings replayerKafka = kafka(REPLAYER_USER, REPLAYER_PASSWORD);
        try (DataNode node = new DataNode(DataNodeSettings.builder(tmp.resolve("node")).listen("localhost", 0).build()).start();
             HandoffProducer producer = new HandoffProducer(ProducerSettings.builder(tmp.resolve("store"), LIAISON, producerKafka)
                 .topicPrefix(PREFIX).listen("localhost", 0).healthInterval(Duration.ofMillis(200))
                 .nodes(List.of(node.address())).build(), new SimpleMeterRegistry(), Clock.systemUTC())) {
            producer.start();

            // When the producer enqueues a bundle and a replayer runs
            PartKey part = new PartKey(LIAISON, "g", 1, 99L);
            Path core = Files.createDirectories(tmp.resolve("src/core"));
            Files.write(core.resolve("data.bin"), new byte[] {1, 2, 3});
            producer.enqueue(Bundle.of(part, new Bundle.Type("core", core, Map.of())), List.of(node.address()));
            ReplayerSettings rs = ReplayerSettings.builder(replayerKafka).topicPrefix(PREFIX).groupId(GROUP)
                .instanceId("sasl-1").logStartAdvanceInterval(Duration.ofMillis(500))
                .backoff(Duration.ofMillis(100), Duration.ofSeconds(1)).build();
            try (Replayer replayer = new Replayer(rs, new SimpleMeterRegistry(), Clock.systemUTC())) {
                replayer.start();

                // Then it is applied once: every Kafka call of both roles passed authentication and the ACLs
                await().atMost(Duration.ofSeconds(60)).until(() -> node.appliedCount(part) == 1);
                assertThat(replayer.isReady()).isTrue();
            }
        }
        // And the clients did log their configuration (so the check below saw it), with the JAAS value hidden
        assertThat(messages()).anyMatch(m -> m.contains("sasl.jaas.config = [hidden]"));
        assertThat(producerKafka.toString()).doesNotContain(PRODUCER_PASSWORD).contains("[hidden]");
        assertNoPasswordLogged();
    }

    @Test
    void shouldStopAReplayerWhoseAclsAreMissingWithOneClearReasonInsteadOfRejoiningForever() throws Exception {
        // Given a replayer whose principal has no ACL for this group or its transactional ids
        ReplayerSettings rs = ReplayerSettings.builder(kafka(REPLAYER_USER, REPLAYER_PASSWORD)).topicPrefix(PREFIX)
            .groupId("ungranted-group").instanceId("sasl-denied").backoff(Duration.ofMillis(100), Duration.ofSeconds(1))
            .build();
        try (Replayer replayer = new Replayer(rs, new SimpleMeterRegistry(), Clock.systemUTC())) {
            // When it starts
            replayer.start();

            // Then it stops for good, naming the authorization failure (the CLI exits 1 with this line)
            await().atMost(Duration.ofSeconds(30)).until(() -> replayer.failure().isPresent());
            assertThat(replayer.failure().get()).startsWith("replayer stopped: ").contains("AuthorizationException")
                .contains("retrying cannot fix this");
            assertThat(replayer.isReady()).isFalse();
        }
    }

    @Test
    void shouldRefuseAWrongPasswordClearlyWithoutLoggingIt() throws Exception {
        // Given a kafka-config file with a wrong password
        KafkaSettings wrong = kafka(PRODUCER_USER, WRONG_PASSWORD);
        ProducerSettings ps = ProducerSettings.builder(tmp.resolve("store"), LIAISON, wrong)
            .topicPrefix(PREFIX).listen("localhost", 0).build();
        try (HandoffProducer producer = new HandoffProducer(ps, new SimpleMeterRegistry(), Clock.systemUTC())) {
            // When the producer starts, Then it fails saying authentication failed
            assertThatThrownBy(producer::start)
                .hasStackTraceContaining("SaslAuthenticationException")
                .hasStackTraceContaining("invalid credentials");
            assertThat(producer.isReady()).isFalse();
        }
        // And a replayer with a wrong password never becomes ready, and says why in its log
        ReplayerSettings rs = ReplayerSettings.builder(kafka(REPLAYER_USER, WRONG_PASSWORD)).topicPrefix(PREFIX)
            .groupId(GROUP).instanceId("sasl-wrong").build();
        int before = logs.list.size();
        try (Replayer replayer = new Replayer(rs, new SimpleMeterRegistry(), Clock.systemUTC())) {
            replayer.start();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(messages(before)).anyMatch(m -> m.contains("SaslAuthenticationException")
                    || m.contains("Authentication failed")));
            assertThat(replayer.isReady()).isFalse();
            // and it stops instead of retrying wrong credentials forever
            await().atMost(Duration.ofSeconds(30)).until(() -> replayer.failure().isPresent());
        }
        assertNoPasswordLogged();
    }

    private KafkaSettings kafka(String user, String password) throws Exception {
        Path file = tmp.resolve(user + "-" + UUID.randomUUID() + ".properties");
        Files.writeString(file, String.join("\n",
            "security.protocol=SASL_PLAINTEXT",
            "sasl.mechanism=SCRAM-SHA-512",
            "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";",
            ""));
        return new KafkaSettings(cluster.bootstrapServers(), KafkaSettings.loadProperties(file));
    }

    private static void assertNoPasswordLogged() {
        assertThat(messages()).isNotEmpty().noneMatch(m -> m.contains(PRODUCER_PASSWORD) || m.contains(REPLAYER_PASSWORD)
            || m.contains(WRONG_PASSWORD) || m.contains(EmbeddedKafkaCluster.SASL_SUPER_USER + "-secret"));
    }

    /** Attaches a list appender to the root logger and lets the Kafka clients' INFO (their config dumps) through. */
    private static void captureLogs() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        for (String name : List.of("org.apache.kafka", "dev.handoff")) {
            savedLevels.put(name, context.getLogger(name).getLevel());
            context.getLogger(name).setLevel(Level.INFO);
        }
        logs = new ListAppender<>();
        logs.setContext(context);
        logs.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(logs);
    }

    private static List<String> messages() {
        return messages(0);
    }

    /** Every captured event from {@code from} on as text: message, key-values, and each throwable's class and message. */
    private static List<String> messages(int from) {
        List<ILoggingEvent> events;
        synchronized (logs) {
            events = new ArrayList<>(logs.list.subList(from, logs.list.size()));
        }
        List<String> out = new ArrayList<>();
        for (ILoggingEvent e : events) {
            StringBuilder b = new StringBuilder(String.valueOf(e.getFormattedMessage()));
            if (e.getKeyValuePairs() != null) {
                e.getKeyValuePairs().forEach(kv -> b.append(' ').append(kv.key).append('=').append(kv.value));
            }
            for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                b.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
            }
            out.add(b.toString());
        }
        return out;
    }
}
