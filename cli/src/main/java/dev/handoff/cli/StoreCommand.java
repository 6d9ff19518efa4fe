package dev.handoff.cli;

import dev.handoff.producer.StoreCheck;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code handoff store check}: a part store against Kafka. */
@Command(name = "store", mixinStandardHelpOptions = true, description = "Inspect a producer's part store.",
    subcommands = StoreCommand.Check.class)
final class StoreCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: check");
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
        description = "Compare the store with Kafka: orphans (bundles no pending record references), records whose "
            + "bundle is missing or differs (size/CRC32C), manifests that do not parse. Exit 0 clean, 1 findings.")
    static final class Check implements Callable<Integer> {
        @Mixin
        CommonOptions common;
        @Option(names = "--store-dir", required = true, paramLabel = "DIR", description = "The producer's --store-dir.")
        Path storeDir;
        @Option(names = "--repair", description = "With the producer stopped: delete orphans the same check still finds "
            + "after --grace, and mark lost records unpublished so the producer's next start publishes them again.")
        boolean repair;
        @Option(names = "--grace", defaultValue = "60s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "How long an orphan must stay one before --repair deletes it (default: ${DEFAULT-VALUE}).")
        Duration grace;
        @Mixin
        ReplayerGroupOption group;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (!Files.isDirectory(storeDir)) {
                throw new UsageException("--store-dir " + storeDir + ": not a directory");
            }
            PrintWriter out = spec.commandLine().getOut();
            if (repair) {
                List<String> running = StoreCheck.runningProducers(storeDir, common.kafka(), common.kafkaTimeout());
                if (!running.isEmpty()) {
                    throw new IllegalStateException("--repair: the producer of " + String.join(",", running)
                        + " is running (its garbage-collection group has members); stop it first");
                }
            }
            StoreCheck.Report report = check();
            print(out, report);
            if (!repair || report.clean()) {
                return report.clean() ? 0 : 1;
            }
            out.println("store check: checking again in " + SettingsDefaults.text(grace) + " before repairing");
            out.flush();
            TimeUnit.MILLISECONDS.sleep(grace.toMillis());
            StoreCheck.Report again = check();
            StoreCheck.repair(storeDir, report, again).forEach(line -> out.println("store check: " + line));
            StoreCheck.Report after = check();
            print(out, after);
            return after.clean() ? 0 : 1;
        }

        private StoreCheck.Report check() throws java.io.IOException {
            return StoreCheck.check(storeDir, common.kafka(), common.topics(), group.groupId, common.kafkaTimeout());
        }

        private static void print(PrintWriter out, StoreCheck.Report report) {
            for (StoreCheck.Finding f : report.findings()) {
                out.printf("%-10s  %s  %s%n", f.kind().name().toLowerCase(), f.part() == null ? "-" : f.part(), f.detail());
            }
            Map<StoreCheck.Kind, Long> counts = report.counts();
            out.println("store check: " + report.bundles() + " bundles, " + report.pendingRecords() + " pending records: "
                + counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey().name().toLowerCase())
                    .collect(Collectors.joining(", ")));
            out.flush();
        }
    }
}
