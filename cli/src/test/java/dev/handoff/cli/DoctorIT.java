package dev.handoff.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.handoff.datanode.DataNode;
import dev.handoff.datanode.DataNodeSettings;
import dev.handoff.embedded.EmbeddedKafkaCluster;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.TopologyGroups;
import dev.handoff.protocol.common.TopicAdmin;
import dev.handoff.protocol.common.TopicAdmin.TopicSettings;
import dev.handoff.testkit.FreePorts;
import dev.handoff.testkit.KafkaClusterExtension;
import dev.handoff.testkit.SharedKafkaTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** {@code handoff doctor} passes on a good setup and names the broken check, with what to fix, on each bad one. */
class DoctorIT extends SharedKafkaTest {
    private record Result(int code, String out) {
        String line(String check) {
            return out.lines().filter(l -> l.substring(6).startsWith(check + ":")).findFirst()
                .orElseThrow(() -> new AssertionError("no line for " + check + " in:\n" + out));
        }
    }

    private static Result doctor(Clock clock, String... args) {
        List<String> all = new ArrayList<>(List.of("doctor"));
        all.addAll(List.of(args));
        CliRun run = CliRun.of(cli -> ((DoctorCommand) cli.getSubcommands().get("doctor").getCommand()).clock = clock,
            all.toArray(String[]::new));
        return new Result(run.code(), run.out() + run.err());
    }

    private static String initialized() throws Exception {
        String prefix = KafkaClusterExtension.unique("doc");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
            TopicAdmin.ensureFixed(admin, new Topics(prefix), TopicSettings.single());
        }
        return prefix;
    }

    @Test
    void shouldPassEveryCheckOnAGoodSetup() throws Exception {
        // Given initialized topics, a store and an enqueue root on one file system, and a serving data node
        String prefix = initialized();
        Path store = Files.createDirectories(tmp.resolve("store"));
        Path root = Files.createDirectories(tmp.resolve("parts"));
        try (DataNode node = new DataNode(DataNodeSettings.builder(tmp.resolve("dn")).listen("localhost", 0).build()).start()) {
            // When the doctor checks it
            Result r = doctor(Clock.systemUTC(), "--bootstrap-servers=" + KAFKA.bootstrapServers(), "--topic-prefix=" + prefix,
                "--liaison=l1", "--store-dir=" + store, "--enqueue-root=" + root, "--store-max-bytes=1048576", "--nodes=" + node.address());

            // Then every check is OK, one line each, and it exits 0 leaving nothing behind
            assertThat(r.code()).as(r.out()).isZero();
            assertThat(r.out().lines().filter(l -> l.startsWith("OK    ")).count()).as(r.out()).isEqualTo(1 + 8 + 3 + 1 + 1 + 1 + 1);
            assertThat(r.line("topic " + prefix + ".node-status")).contains("compact");
            assertThat(r.line("clock")).contains("ms").contains("the broker");
            assertThat(r.out()).contains("doctor: 16 ok, 0 failed, 0 skipped");
            try (var left = Files.list(store)) {
                assertThat(left).isEmpty();
            }
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
                assertThat(admin.listTopics().names().get()).noneMatch(t -> t.startsWith(prefix + ".doctor-"));
            }
        }
    }

    @Test
    void shouldNameAnUnreachableKafkaAndSkipWhatNeedsIt() {
        Result r = doctor(Clock.systemUTC(), "--bootstrap-servers=localhost:1", "--kafka-timeout=2s");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.line("kafka")).startsWith("FAIL").contains("cannot reach localhost:1 within 2 s")
            .contains("--bootstrap-servers and --kafka-config");
        assertThat(r.line("topics")).startsWith("SKIP").contains("Kafka is not reachable");
        assertThat(r.out()).contains("doctor: 0 ok, 1 failed (kafka)");
    }

    @Test
    void shouldNameMissingTopicsAWrongConfigAndTooFewReplicas() throws Exception {
        // Given a prefix whose node-status topic was created by hand without compaction, and nothing else
        String prefix = KafkaClusterExtension.unique("doc");
        Topics topics = new Topics(prefix);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
            TopicAdmin.ensure(admin, topics.nodeStatus(), TopicSettings.single(),
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE));
        }
        // When the doctor expects production replication
        Result r = doctor(Clock.systemUTC(), "--bootstrap-servers=" + KAFKA.bootstrapServers(), "--topic-prefix=" + prefix,
            "--replication-factor=3");
        // Then each broken topic is named with what is wrong
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.line("topic " + topics.health())).startsWith("FAIL").contains("does not exist; run handoff init");
        assertThat(r.line("topic " + topics.nodeStatus())).startsWith("FAIL")
            .contains("cleanup.policy=delete, documented compact").contains("replication factor 1 < --replication-factor 3");
    }

    @Test
    void shouldNameAStoreOnAnotherFileSystemThanTheEnqueueRoot() throws Exception {
        Path shm = Path.of("/dev/shm");
        assumeTrue(Files.isDirectory(shm) && Files.isWritable(shm)
            && !Files.getFileStore(shm).equals(Files.getFileStore(tmp)), "needs /dev/shm on a file system of its own");
        Path root = Files.createTempDirectory(shm, "handoff-doctor-");
        try {
            Result r = doctor(Clock.systemUTC(), "--bootstrap-servers=localhost:1", "--kafka-timeout=1s",
                "--store-dir=" + Files.createDirectories(tmp.resolve("store")), "--enqueue-root=" + root);
            assertThat(r.line("hard link")).startsWith("FAIL").contains("cannot hard-link from " + root)
                .contains("into " + tmp.resolve("store")).contains("every part is copied");
            try (var left = Files.list(root)) {
                assertThat(left).isEmpty();
            }
        } finally {
            Files.deleteIfExists(root);
        }
    }

    @Test
    void shouldNameTooLittleSpaceAndADataNodeThatDoesNotAnswer() throws Exception {
        int closed = FreePorts.take(1)[0];
        Result r = doctor(Clock.systemUTC(), "--bootstrap-servers=localhost:1", "--kafka-timeout=1s",
            "--store-dir=" + tmp, "--store-max-bytes=9000000000000000000", "--nodes=localhost:" + closed, "--node-timeout=2s");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.line("free space")).startsWith("FAIL").contains("--store-max-bytes is 9000000000000000000")
            .contains("lower --store-max-bytes or grow the volume");
        assertThat(r.line("node localhost:" + closed)).startsWith("FAIL").contains("grpc.health.v1 check failed: UNAVAILABLE");
    }

    @Test
    void shouldNameAClockFarFromTheBrokers() throws Exception {
        String prefix = initialized();
        Clock anHourAhead = Clock.offset(Clock.systemUTC(), Duration.ofHours(1));
        Result r = doctor(anHourAhead, "--bootstrap-servers=" + KAFKA.bootstrapServers(), "--topic-prefix=" + prefix,
            "--max-clock-skew=2s");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.line("clock")).startsWith("FAIL").containsPattern("this host is 3[56]\\d{5} ms ahead of the broker")
            .contains("more than --max-clock-skew 2000 ms");
        assertThat(r.out()).contains("1 failed (clock)");
    }

    @Test
    void shouldNameTheOperationsAPrincipalLacks() throws Exception {
        // Given a SASL broker with the standard authorizer, and a user that may only describe the topics
        String prefix = KafkaClusterExtension.unique("docacl");
        Path config = saslUser("doctor", prefix, new Grants("doctor").topicConfigs(prefix));

        // When the doctor checks the replayer's access with that user's --kafka-config
        Result r = doctor(Clock.systemUTC(), "--bootstrap-servers=" + sasl().bootstrapServers(), "--kafka-config=" + config,
            "--topic-prefix=" + prefix, "--role=replayer");

        // Then the topics pass, and each ACL check names every right the replayer needs and lacks
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.line("topic " + prefix + ".completions")).startsWith("OK");
        assertThat(r.line("acls.topics")).startsWith("FAIL").contains("READ on TOPIC:" + prefix + ".node-status (needed by replayer)")
            .contains("WRITE on TOPIC:" + prefix + ".completions (needed by replayer)")
            .contains("WRITE on TOPIC:" + prefix + ".parked (needed by replayer)")
            .contains("WRITE on TOPIC:" + prefix + ".health (needed by replayer)");
        assertThat(r.line("acls.groups")).startsWith("FAIL")
            .contains("READ on GROUP:handoff-replayer (needed by replayer): not even DESCRIBE is granted");
        assertThat(r.line("acls.transactional-ids")).startsWith("FAIL")
            .contains("DESCRIBE on TRANSACTIONAL_ID:handoff-replayer-* (needed by replayer): describeTransactions of "
                + "handoff-replayer-doctor-probe was refused");
        assertThat(r.line("clock")).startsWith("SKIP").contains("cannot create the probe topic");
        assertThat(r.out()).doesNotContain("doctor-secret");
    }

    @Test
    void shouldPassTheAclChecksForAPrincipalWithEveryRightEachRoleNeeds() throws Exception {
        // Given a user with the grants docs/SECURITY.md lists for every role (and DESCRIBE on CLUSTER), and a node topic
        String prefix = KafkaClusterExtension.unique("docall");
        Path config = saslUser("all-" + prefix, prefix, everyRight("all-" + prefix, prefix).cluster(AclOperation.DESCRIBE));
        try (Admin admin = Admin.create(superUser())) {
            TopicAdmin.ensure(admin, new Topics(prefix).node("dn-1:17912"), TopicSettings.single(), TopicAdmin.nodeTopicConfigs());
        }

        // When the doctor checks every role
        Result r = doctor(Clock.systemUTC(), "--bootstrap-servers=" + sasl().bootstrapServers(), "--kafka-config=" + config,
            "--topic-prefix=" + prefix, "--liaison=l1");

        // Then every ACL check passes and nothing fails (the clock probe may not create its topic: SKIP)
        assertThat(r.line("acls.topics")).as(r.out()).startsWith("OK").contains("[producer, topology, replayer, operator]");
        assertThat(r.line("acls.groups")).as(r.out()).startsWith("OK");
        assertThat(r.line("acls.transactional-ids")).as(r.out()).startsWith("OK");
        assertThat(r.code()).as(r.out()).isZero();
    }

    @Test
    void shouldNameAMissingCreateOnTheNodeTopicPrefix() throws Exception {
        // Given a user with every producer right but CREATE on the node-topic prefix
        String prefix = KafkaClusterExtension.unique("doccreate");
        String user = "create-" + prefix;
        Path config = saslUser(user, prefix, producerRights(new Grants(user), prefix, false).cluster(AclOperation.DESCRIBE));

        Result r = doctor(Clock.systemUTC(), "--bootstrap-servers=" + sasl().bootstrapServers(), "--kafka-config=" + config,
            "--topic-prefix=" + prefix, "--role=producer", "--liaison=l1");

        // Then acls.topics names that one right, found by a validate-only create that created nothing
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.line("acls.topics")).matches("FAIL  acls\\.topics: this principal lacks CREATE on TOPIC:" + prefix
            + "\\.node\\.\\* \\(needed by producer\\): a validate-only create of " + prefix
            + "\\.node\\.doctor-probe-[0-9a-f]{8} was refused \\(grants: docs/SECURITY\\.md\\)");
        assertThat(r.line("acls.groups")).startsWith("OK");
        assertThat(r.line("acls.transactional-ids")).isEqualTo("OK    acls.transactional-ids: [producer] need no rights on their "
            + "transactional ids");
        try (Admin admin = Admin.create(superUser())) {
            assertThat(admin.listTopics().names().get()).noneMatch(t -> t.startsWith(prefix + ".node."));
        }
    }

    @Test
    void shouldNameAMissingReadOnTheReplayerGroup() throws Exception {
        // Given the replayer group exists (offsets committed), and a user with every replayer right but READ on it
        String prefix = KafkaClusterExtension.unique("docgroup");
        String user = "group-" + prefix;
        String group = "replayers-" + prefix;
        Grants grants = replayerRights(new Grants(user), prefix, group, false);
        Path config = saslUser(user, prefix, grants.group(group, AclOperation.DESCRIBE));
        try (Admin admin = Admin.create(superUser())) {
            String topic = new Topics(prefix).node("dn-1:17912");
            TopicAdmin.ensure(admin, topic, TopicSettings.single(), TopicAdmin.nodeTopicConfigs());
            admin.alterConsumerGroupOffsets(group, Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(0))).all().get();
        }

        Result r = doctor(Clock.systemUTC(), "--bootstrap-servers=" + sasl().bootstrapServers(), "--kafka-config=" + config,
            "--topic-prefix=" + prefix, "--role=replayer", "--replayer-group-id=" + group);

        // Then acls.groups names exactly that right, by the broker's answer for the existing group
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.line("acls.groups")).isEqualTo("FAIL  acls.groups: this principal lacks READ on GROUP:" + group
            + " (needed by replayer) (grants: docs/SECURITY.md)");
        // and, the ACLs being unreadable without DESCRIBE on CLUSTER, says that node-topic rights are judged by the one that exists
        assertThat(r.line("acls.topics")).startsWith("OK").contains("judged by the topics that exist: READ on TOPIC:" + prefix
            + ".node.* (needed by replayer): judged by the 1 existing topic(s)");
    }

    @Test
    void shouldNameAMissingWriteOnTheReplayersTransactionalIdFromTheAcls() throws Exception {
        // Given a user with every replayer right but WRITE on its transactional ids, who may read the ACLs
        String prefix = KafkaClusterExtension.unique("doctxn");
        String user = "txn-" + prefix;
        Path config = saslUser(user, prefix, replayerRights(new Grants(user), prefix, "handoff-replayer", true)
            .prefixed(ResourceType.TRANSACTIONAL_ID, "handoff-replayer-", AclOperation.DESCRIBE).cluster(AclOperation.DESCRIBE));

        Result r = doctor(Clock.systemUTC(), "--bootstrap-servers=" + sasl().bootstrapServers(), "--kafka-config=" + config,
            "--topic-prefix=" + prefix, "--role=replayer");

        // Then acls.transactional-ids names exactly that right, read from the ACL bindings
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.line("acls.transactional-ids")).isEqualTo("FAIL  acls.transactional-ids: this principal lacks WRITE on "
            + "TRANSACTIONAL_ID:handoff-replayer-* (needed by replayer): by the ACLs of User:" + user
            + ": no ALLOW binding (grants: docs/SECURITY.md)");
        assertThat(r.line("acls.topics")).startsWith("OK");
        assertThat(r.line("acls.groups")).startsWith("OK");
    }

    @Test
    void shouldSayWhatItCouldNotVerifyOfATransactionalIdWithoutTheAcls() throws Exception {
        // Given the same user without DESCRIBE on CLUSTER: the ACLs cannot be read
        String prefix = KafkaClusterExtension.unique("doctxnprobe");
        String user = "probe-" + prefix;
        Path config = saslUser(user, prefix, replayerRights(new Grants(user), prefix, "handoff-replayer", true)
            .prefixed(ResourceType.TRANSACTIONAL_ID, "handoff-replayer-", AclOperation.DESCRIBE));

        Result r = doctor(Clock.systemUTC(), "--bootstrap-servers=" + sasl().bootstrapServers(), "--kafka-config=" + config,
            "--topic-prefix=" + prefix, "--role=replayer");

        // Then DESCRIBE is proven by describeTransactions and the line says plainly that WRITE was not verified
        assertThat(r.line("acls.transactional-ids")).isEqualTo("SKIP  acls.transactional-ids: not verified: WRITE on "
            + "TRANSACTIONAL_ID:handoff-replayer-* (needed by replayer): Kafka reports no authorized operations for "
            + "transactional ids and this principal may not read the ACLs (describeAcls needs DESCRIBE on CLUSTER); "
            + "the other 1 right(s) [replayer] need are granted");
    }

    private static EmbeddedKafkaCluster sasl;

    /** One SASL cluster with the standard authorizer for the ACL tests; each test has its own user and prefix. */
    private static synchronized EmbeddedKafkaCluster sasl() {
        if (sasl == null) {
            sasl = EmbeddedKafkaCluster.startSasl(Map.of());
        }
        return sasl;
    }

    @AfterAll
    static void closeSasl() {
        if (sasl != null) {
            sasl.close();
        }
    }

    private static Map<String, Object> superUser() {
        Map<String, Object> props = new HashMap<>(sasl().superUserClientProperties());
        props.put("bootstrap.servers", sasl().bootstrapServers());
        return props;
    }

    /** Initializes the prefix's topics, creates {@code user} with {@code grants}, and returns its --kafka-config. */
    private Path saslUser(String user, String prefix, Grants grants) throws Exception {
        sasl().createScramUser(user, "doctor-secret");
        try (Admin admin = Admin.create(superUser())) {
            TopicAdmin.ensureFixed(admin, new Topics(prefix), TopicSettings.single());
            admin.createAcls(grants.bindings).all().get();
        }
        return Files.writeString(tmp.resolve(user + ".properties"), String.join("\n",
            "security.protocol=SASL_PLAINTEXT", "sasl.mechanism=SCRAM-SHA-512",
            "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"doctor-secret\";"));
    }

    /** Every grant docs/SECURITY.md lists for the four roles, with the default group and application ids. */
    private static Grants everyRight(String user, String prefix) {
        Topics t = new Topics(prefix);
        String app = Topics.DEFAULT_TOPOLOGY_APPLICATION_ID;
        Grants g = replayerRights(producerRights(new Grants(user), prefix, true), prefix, "handoff-replayer", true)
            .prefixed(ResourceType.TRANSACTIONAL_ID, "handoff-replayer-", AclOperation.DESCRIBE, AclOperation.WRITE);
        // topology
        t.fixed().forEach(topic -> g.topic(topic, AclOperation.CREATE));
        for (String in : List.of(t.health(), t.control(), t.completions())) {
            g.topic(in, AclOperation.DESCRIBE, AclOperation.READ);
        }
        g.topic(t.enqueued(), AclOperation.DESCRIBE, AclOperation.READ, AclOperation.WRITE, AclOperation.DELETE);
        for (String out : List.of(t.nodeStatus(), t.released(), t.quarantine())) {
            g.topic(out, AclOperation.DESCRIBE, AclOperation.WRITE);
        }
        g.prefixed(ResourceType.TOPIC, app + "-", AclOperation.CREATE, AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS,
                AclOperation.READ, AclOperation.WRITE, AclOperation.DELETE)
            .group(app, AclOperation.READ, AclOperation.DESCRIBE)
            .group(TopologyGroups.relayGroup(app), AclOperation.READ, AclOperation.DESCRIBE)
            .prefixed(ResourceType.TRANSACTIONAL_ID, app + "-", AclOperation.DESCRIBE, AclOperation.WRITE);
        // operators
        g.topic(t.control(), AclOperation.WRITE).topic(t.parked(), AclOperation.READ).topic(t.quarantine(), AclOperation.READ)
            .prefixed(ResourceType.TOPIC, prefix + ".node.", AclOperation.WRITE, AclOperation.CREATE);
        return g;
    }

    private static Grants producerRights(Grants g, String prefix, boolean createNodeTopics) {
        Topics t = new Topics(prefix);
        g.topicConfigs(prefix)
            .prefixed(ResourceType.TOPIC, prefix + ".node.", AclOperation.DESCRIBE, AclOperation.WRITE, AclOperation.READ)
            .topic(t.health(), AclOperation.CREATE, AclOperation.DESCRIBE, AclOperation.WRITE)
            .topic(t.released(), AclOperation.CREATE, AclOperation.DESCRIBE, AclOperation.READ)
            .topic(t.completions(), AclOperation.CREATE, AclOperation.DESCRIBE, AclOperation.READ)
            .group("handoff-producer-l1", AclOperation.READ)
            .group("handoff-replayer", AclOperation.DESCRIBE);
        return createNodeTopics ? g.prefixed(ResourceType.TOPIC, prefix + ".node.", AclOperation.CREATE) : g;
    }

    /** The replayer's grants but its transactional ids', and READ on its group only when {@code groupRead}. */
    private static Grants replayerRights(Grants g, String prefix, String group, boolean groupRead) {
        Topics t = new Topics(prefix);
        String app = Topics.DEFAULT_TOPOLOGY_APPLICATION_ID;
        g.topicConfigs(prefix)
            .prefixed(ResourceType.TOPIC, prefix + ".node.", AclOperation.DESCRIBE, AclOperation.READ, AclOperation.DELETE,
                AclOperation.WRITE)
            .topic(t.nodeStatus(), AclOperation.DESCRIBE, AclOperation.READ)
            .topic(t.completions(), AclOperation.DESCRIBE, AclOperation.WRITE)
            .topic(t.parked(), AclOperation.DESCRIBE, AclOperation.WRITE)
            .topic(t.health(), AclOperation.DESCRIBE, AclOperation.WRITE)
            .group(TopologyGroups.relayGroup(app), AclOperation.DESCRIBE)
            .group(app, AclOperation.DESCRIBE);
        return groupRead ? g.group(group, AclOperation.READ) : g;
    }

    /** ALLOW bindings for one user, built in steps. */
    private static final class Grants {
        final String principal;
        final List<AclBinding> bindings = new ArrayList<>();

        Grants(String user) {
            this.principal = "User:" + user;
        }

        Grants add(ResourceType type, String name, PatternType pattern, AclOperation... ops) {
            for (AclOperation op : ops) {
                bindings.add(new AclBinding(new ResourcePattern(type, name, pattern),
                    new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW)));
            }
            return this;
        }

        Grants topic(String name, AclOperation... ops) {
            return add(ResourceType.TOPIC, name, PatternType.LITERAL, ops);
        }

        Grants group(String name, AclOperation... ops) {
            return add(ResourceType.GROUP, name, PatternType.LITERAL, ops);
        }

        Grants prefixed(ResourceType type, String name, AclOperation... ops) {
            return add(type, name, PatternType.PREFIXED, ops);
        }

        Grants cluster(AclOperation... ops) {
            return add(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL, ops);
        }

        /** What the doctor's own topic checks need: DESCRIBE and DESCRIBE_CONFIGS on the prefix's topics. */
        Grants topicConfigs(String prefix) {
            return prefixed(ResourceType.TOPIC, prefix + ".", AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS);
        }
    }
}
