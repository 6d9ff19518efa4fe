package dev.handoff.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.handoff.datanode.DataNode;
import dev.handoff.datanode.DataNodeSettings;
import dev.handoff.embedded.EmbeddedKafkaCluster;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.common.TopicAdmin;
import dev.handoff.protocol.common.TopicAdmin.TopicSettings;
import dev.handoff.testkit.FreePorts;
import dev.handoff.testkit.KafkaClusterExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code handoff doctor} passes on a good setup and names the broken check, with what to fix, on each bad one. */
class DoctorIT {
    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.shared();

    @TempDir
    Path tmp;

    private record Result(int code, String out) {
        String line(String check) {
            return out.lines().filter(l -> l.substring(6).startsWith(check + ":")).findFirst()
                .orElseThrow(() -> new AssertionError("no line for " + check + " in:\n" + out));
        }
    }

    private static Result doctor(Clock clock, String... args) {
        List<String> all = new ArrayList<>(List.of("doctor"));
        all.addAll(List.of(args));
        CapturedRun run = CapturedRun.of(cli -> ((DoctorCommand) cli.getSubcommands().get("doctor").getCommand()).clock = clock,
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
                "--store-dir=" + store, "--enqueue-root=" + root, "--store-max-bytes=1048576", "--nodes=" + node.address());

            // Then every check is OK, one line each, and it exits 0 leaving nothing behind
            assertThat(r.code()).as(r.out()).isZero();
            assertThat(r.out().lines().filter(l -> l.startsWith("OK    ")).count()).as(r.out()).isEqualTo(1 + 8 + 1 + 1 + 1 + 1 + 1);
            assertThat(r.line("topic " + prefix + ".node-status")).contains("compact");
            assertThat(r.line("clock")).contains("ms").contains("the broker");
            assertThat(r.out()).contains("doctor: 14 ok, 0 failed, 0 skipped");
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
        try (EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.startSasl(Map.of())) {
            cluster.createScramUser("doctor", "doctor-secret");
            String prefix = "docacl";
            Map<String, Object> superUser = new HashMap<>(cluster.superUserClientProperties());
            superUser.put("bootstrap.servers", cluster.bootstrapServers());
            try (Admin admin = Admin.create(superUser)) {
                TopicAdmin.ensureFixed(admin, new Topics(prefix), TopicSettings.single());
                List<AclBinding> acls = new ArrayList<>();
                for (AclOperation op : List.of(AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS)) {
                    acls.add(new AclBinding(new ResourcePattern(ResourceType.TOPIC, prefix + ".", PatternType.PREFIXED),
                        new AccessControlEntry("User:doctor", "*", op, AclPermissionType.ALLOW)));
                }
                admin.createAcls(acls).all().get();
            }
            Path config = Files.writeString(tmp.resolve("kafka.properties"), String.join("\n",
                "security.protocol=SASL_PLAINTEXT", "sasl.mechanism=SCRAM-SHA-512",
                "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"doctor\" password=\"doctor-secret\";"));

            // When the doctor checks the replayer's access with that user's --kafka-config
            Result r = doctor(Clock.systemUTC(), "--bootstrap-servers=" + cluster.bootstrapServers(), "--kafka-config=" + config,
                "--topic-prefix=" + prefix, "--role=replayer");

            // Then the topics pass, and the ACL check names every operation the replayer needs and lacks
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.line("topic " + prefix + ".completions")).startsWith("OK");
            assertThat(r.line("acls")).startsWith("FAIL").contains("READ on " + prefix + ".node-status")
                .contains("WRITE on " + prefix + ".completions").contains("WRITE on " + prefix + ".parked")
                .contains("WRITE on " + prefix + ".health").contains("[replayer]");
            assertThat(r.line("clock")).startsWith("SKIP").contains("cannot create the probe topic");
            assertThat(r.out()).doesNotContain("doctor-secret");
        }
    }
}
