package dev.handoff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.datanode.DataNodeSettings;
import dev.handoff.producer.ProducerSettings;
import dev.handoff.protocol.common.KafkaSettings;
import dev.handoff.protocol.common.TopicAdmin.TopicSettings;
import dev.handoff.replayer.ReplayerSettings;
import dev.handoff.topology.TopologySettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine;

/** A role started from the CLI without options behaves as the library's defaults say (the two never drift). */
class DefaultsTest {
    private static final KafkaSettings KAFKA = KafkaSettings.of(KafkaSettings.DEFAULT_BOOTSTRAP_SERVERS);

    @Test
    void shouldGiveTheReplayerTheLibraryDefaults() {
        // Given the replayer verb with no options
        CommandLine cli = Main.commandLine();
        cli.parseArgs("replayer");
        ReplayerSettings fromCli = ((ReplayerCommand) cli.getSubcommands().get("replayer").getCommand()).settings();
        // When compared with the library's defaults (the instance id is random per start in both)
        ReplayerSettings library = ReplayerSettings.builder(KafkaSettings.of("localhost:9092"))
            .instanceId(fromCli.instanceId()).build();
        // Then every value agrees
        assertThat(fromCli).usingRecursiveComparison().ignoringFields("sinkFactory").isEqualTo(library);
    }

    @Test
    void shouldGiveTheProducerTheLibraryDefaultsApartFromTopicSettings() {
        // Given the producer verb with only its required options
        CommandLine cli = Main.commandLine();
        cli.parseArgs("producer", "--store-dir=/tmp/s", "--liaison=l");
        ProducerSettings fromCli = ((ProducerCommand) cli.getSubcommands().get("producer").getCommand()).settings();
        ProducerSettings library = ProducerSettings.builder(Path.of("/tmp/s"), "l", KafkaSettings.of("localhost:9092")).build();
        // Then everything but the created topics' settings (the CLI creates 3 partitions, like `init`) agrees
        assertThat(fromCli).usingRecursiveComparison().ignoringFields("publish.nodeTopics", "publish.fixedTopics").isEqualTo(library);
        assertThat(fromCli.publish().nodeTopics()).isEqualTo(TopicSettings.created()).isEqualTo(fromCli.publish().fixedTopics());
    }

    @Test
    void shouldGiveTheTopologyTheLibraryDefaults() {
        // Given the topology verb with no options
        CommandLine cli = Main.commandLine();
        cli.parseArgs("topology");
        TopologySettings fromCli = ((TopologyCommand) cli.getSubcommands().get("topology").getCommand()).settings();
        // Then every value agrees with the library's, the internal topics' replication factor (-1) included
        assertThat(fromCli).isEqualTo(TopologySettings.builder(KAFKA).build());
        assertThat(fromCli.replicationFactor()).isEqualTo(-1);
    }

    @Test
    void shouldGiveTheDataNodeTheLibraryDefaults() {
        // Given the datanode verb with only its required option
        CommandLine cli = Main.commandLine();
        cli.parseArgs("datanode", "--dir=/tmp/d");
        DatanodeCommand command = (DatanodeCommand) cli.getSubcommands().get("datanode").getCommand();
        // Then every value agrees with the library's
        assertThat(command.settings()).isEqualTo(DataNodeSettings.builder(Path.of("/tmp/d")).build());
    }

    @Test
    void shouldTakeTopologyOptionsThatTheDocsName() {
        // Given every topology option the settings document
        CommandLine cli = Main.commandLine();
        cli.parseArgs("topology", "--commit-interval=250ms", "--stream-threads=2", "--metadata-max-age=5s",
            "--no-create-topics", "--partitions=6", "--topic-replication-factor=3", "--min-insync-replicas=2",
            "--replication-factor=3", "--internal-partitions=8");
        TopologySettings s = ((TopologyCommand) cli.getSubcommands().get("topology").getCommand()).settings();
        // Then each reaches its settings field
        assertThat(s.commitInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(s.streamThreads()).isEqualTo(2);
        assertThat(s.metadataMaxAge()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.createTopics()).isFalse();
        assertThat(s.topics()).isEqualTo(new TopicSettings(6, (short) 3, 2));
        assertThat(s.replicationFactor()).isEqualTo(3);
        assertThat(s.internalPartitions()).isEqualTo(8);
    }

    @Test
    void shouldShowEverySettingsDefaultInHelpAndDeclareItNowhereElse() {
        // Given every verb of the CLI
        List<String> wrong = new ArrayList<>();
        for (CommandLine verb : verbs(Main.commandLine())) {
            String help = verb.getUsageMessage(CommandLine.Help.Ansi.OFF).replaceAll("\\s+", " ");
            for (OptionSpec option : verb.getCommandSpec().options()) {
                String where = verb.getCommandSpec().qualifiedName() + " " + option.longestName();
                Optional<String> fromSettings = SettingsDefaults.of(verb.getCommandName(), option.longestName());
                // Then an option that sets a settings field has no default of its own in its @Option
                if (fromSettings.isPresent() && option.defaultValue() != null) {
                    wrong.add(where + ": declares default " + option.defaultValue() + " beside the settings' "
                        + fromSettings.get());
                }
                // And its --help shows the settings' default
                if (fromSettings.isPresent() && !help.contains("(default: " + fromSettings.get())) {
                    wrong.add(where + ": --help does not show the settings' default " + fromSettings.get());
                }
            }
            // And no help text promises a default that is not there
            if (help.contains("default: null")) {
                wrong.add(verb.getCommandSpec().qualifiedName() + ": --help shows \"default: null\"");
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void shouldWriteDurationsAsTheCommandLineTakesThem() {
        assertThat(SettingsDefaults.text(Duration.ofMillis(800))).isEqualTo("800ms");
        assertThat(SettingsDefaults.text(Duration.ofSeconds(120))).isEqualTo("120s");
        assertThat(SettingsDefaults.text(Duration.ZERO)).isEqualTo("0s");
        assertThat(SettingsDefaults.text(90.0)).isEqualTo("90");
        assertThat(SettingsDefaults.text(0.25)).isEqualTo("0.25");
        assertThat(new DurationConverter().convert(SettingsDefaults.text(Duration.ofMillis(1500))))
            .isEqualTo(Duration.ofMillis(1500));
    }

    /** The verb and all its subcommands, depth first. */
    static List<CommandLine> verbs(CommandLine root) {
        List<CommandLine> all = new ArrayList<>();
        for (CommandLine sub : root.getSubcommands().values()) {
            if (!all.contains(sub)) {
                all.add(sub);
                all.addAll(verbs(sub));
            }
        }
        return all;
    }
}
