package dev.handoff.cli;

import dev.handoff.cli.Preflight.Check;
import dev.handoff.protocol.NodeAddress;
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
        + "configs, this principal's ACLs, hard links from --enqueue-root into --store-dir, free space for "
        + "--store-max-bytes, every --nodes answering grpc.health.v1, and the clock against the broker's. "
        + "Exit 1 when a check fails.")
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
        description = "Roles whose topic access the ACL check covers: producer, topology, replayer, operator "
            + "(default: all).")
    Set<KafkaChecks.Role> roles;
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
        Set<KafkaChecks.Role> covered = roles == null || roles.isEmpty() ? EnumSet.allOf(KafkaChecks.Role.class) : roles;
        Preflight result = new Preflight();
        PrintWriter out = spec.commandLine().getOut();
        try (Admin admin = Admin.create(common.admin())) {
            KafkaChecks kafka = new KafkaChecks(admin, common.topics(), common.kafkaTimeout());
            Check reachable = print(out, result, kafka.reachable(common.bootstrapServers));
            if (reachable.status() == Preflight.Status.OK) {
                kafka.topics(replicationFactor, minInsyncReplicas).forEach(c -> print(out, result, c));
                print(out, result, kafka.acls(covered));
                print(out, result, kafka.clock(common.producer("handoff-doctor"), clock, maxClockSkew));
            } else {
                for (String check : List.of("topics", "acls", "clock")) {
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

    private static Check print(PrintWriter out, Preflight result, Check check) {
        result.add(check);
        out.println(check.line());
        out.flush();
        return check;
    }
}
