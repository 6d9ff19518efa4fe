package dev.handoff.cli;

import dev.handoff.cli.Preflight.Check;
import dev.handoff.protocol.Names;
import dev.handoff.protocol.NodeAddress;
import dev.handoff.protocol.Topics;
import dev.handoff.replayer.ReplayerSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code handoff doctor}: a preflight before going live. One line per check (OK, FAIL with what to fix, or SKIP
 * with why it could not run), a summary, and exit 1 when any check failed. Changes nothing it finds: its probes
 * (a hard link, a probe topic) are removed again.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
    description = "Check a setup before going live: Kafka reachable with --kafka-config, the fixed topics and their "
        + "configs, this principal's rights on the roles' topics, consumer groups and transactional ids, hard links "
        + "from --enqueue-root into --store-dir, free space for --store-max-bytes, every --nodes answering "
        + "grpc.health.v1, and the clock against the broker's. Exit 1 when a check fails.")
final class DoctorCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Option(names = "--replication-factor", paramLabel = "N",
        description = "Smallest replication factor the fixed topics must have (default: ${DEFAULT-VALUE}; 3 in production).")
    short replicationFactor;
    @Option(names = "--min-insync-replicas", paramLabel = "N",
        description = "Smallest min.insync.replicas the fixed topics must have (default: not checked; 2 in production).")
    Integer minInsyncReplicas;
    @Option(names = "--role", split = ",", paramLabel = "ROLE",
        description = "Roles whose rights the ACL checks cover: producer, topology, replayer, operator "
            + "(default: all).")
    Set<AclNeeds.Role> roles;
    @Option(names = "--principal", paramLabel = "TYPE:NAME",
        description = "The Kafka principal the broker sees for --kafka-config, to read its ACLs by (default: User:<username> "
            + "of a PLAIN or SCRAM sasl.jaas.config, User:ANONYMOUS on PLAINTEXT).")
    String principal;
    @Option(names = "--replayer-group-id", defaultValue = ReplayerSettings.DEFAULT_GROUP_ID, paramLabel = "GROUP",
        description = "The replayers' --group-id: their consumer group and transactional-id prefix (default: ${DEFAULT-VALUE}).")
    String replayerGroupId;
    @Option(names = "--topology-application-id", defaultValue = Topics.DEFAULT_TOPOLOGY_APPLICATION_ID, paramLabel = "ID",
        description = "The topology's --application-id: its groups, internal topics and transactional ids; also what the "
            + "replayers' --topology-application-id names (default: ${DEFAULT-VALUE}; empty: the replayers' guard is off).")
    String topologyApplicationId;
    @Option(names = "--topology-create-topics", negatable = true, defaultValue = "true", fallbackValue = "true",
        paramLabel = "BOOLEAN",
        description = "The topology runs with --create-topics, so it needs CREATE on every fixed topic (default: ${DEFAULT-VALUE}).")
    boolean topologyCreateTopics;
    @Option(names = "--liaison", paramLabel = "NAME",
        description = "The producer's --liaison, to check its consumer group handoff-producer-<liaison> (default: not checked).")
    String liaison;
    @Option(names = "--store-dir", paramLabel = "DIR", description = "The producer's store dir (for the hard-link and space checks).")
    Path storeDir;
    @Option(names = "--enqueue-root", paramLabel = "DIR", description = "The producer's enqueue root (for the hard-link check).")
    Path enqueueRoot;
    @Option(names = "--store-max-bytes", paramLabel = "BYTES", description = "The store's byte limit (for the space check).")
    Long storeMaxBytes;
    @Option(names = "--nodes", split = ",", paramLabel = "HOST:PORT", description = "Data nodes that must answer grpc.health.v1.")
    List<String> nodes = List.of();
    @Option(names = "--node-timeout", defaultValue = "5s", converter = DurationConverter.class, paramLabel = "DURATION",
        description = "How long a data node may take to answer (default: ${DEFAULT-VALUE}).")
    Duration nodeTimeout;
    @Option(names = "--max-clock-skew", defaultValue = "5s", converter = DurationConverter.class, paramLabel = "DURATION",
        description = "Largest difference allowed between this host's clock and the broker's (default: ${DEFAULT-VALUE}).")
    Duration maxClockSkew;
    @Mixin
    NodeTlsOptions tls;
    @Spec
    CommandSpec spec;
    /** The clock compared with the broker's (tests move it). */
    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws InterruptedException {
        nodes.forEach(n -> NodeAddress.require("--nodes", n));
        Set<AclNeeds.Role> covered = roles == null || roles.isEmpty() ? EnumSet.allOf(AclNeeds.Role.class) : roles;
        AclNeeds.Ids ids = ids(covered);
        Preflight result = new Preflight();
        PrintWriter out = spec.commandLine().getOut();
        try (Admin admin = Admin.create(common.admin())) {
            KafkaChecks kafka = new KafkaChecks(admin, common.topics(), common.kafkaTimeout());
            Check reachable = print(out, result, kafka.reachable(common.bootstrapServers));
            if (reachable.status() == Preflight.Status.OK) {
                kafka.topics(replicationFactor, minInsyncReplicas).forEach(c -> print(out, result, c));
                kafka.acls(covered, ids, AclView.principal(common.kafka().properties(), principal)).forEach(c -> print(out, result, c));
                print(out, result, kafka.clock(common.producer("handoff-doctor"), clock, maxClockSkew));
            } else {
                for (String check : List.of("topics", "acls.topics", "acls.groups", "acls.transactional-ids", "clock")) {
                    print(out, result, Check.skip(check, "Kafka is not reachable"));
                }
            }
        }
        print(out, result, HostChecks.link(storeDir, enqueueRoot));
        print(out, result, HostChecks.space(storeDir, storeMaxBytes));
        for (String node : nodes) {
            print(out, result, HostChecks.node(node, tls.config(), nodeTimeout));
        }
        out.println(result.summary());
        out.flush();
        return result.failed() ? 1 : 0;
    }

    private AclNeeds.Ids ids(Set<AclNeeds.Role> covered) {
        Names.requireName("--replayer-group-id", replayerGroupId);
        if (!topologyApplicationId.isEmpty() || covered.contains(AclNeeds.Role.topology)) {
            Names.requireName("--topology-application-id", topologyApplicationId);
        }
        if (liaison != null) {
            Names.requireName("--liaison", liaison);
        }
        return new AclNeeds.Ids(common.topics(), replayerGroupId, topologyApplicationId, liaison, topologyCreateTopics);
    }

    private static Check print(PrintWriter out, Preflight result, Check check) {
        result.add(check);
        out.println(check.line());
        out.flush();
        return check;
    }
}
