package dev.handoff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.producer.ProducerSettings;
import dev.handoff.protocol.common.KafkaSettings;
import dev.handoff.replayer.ReplayerSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** A role started from the CLI without options behaves as the library's defaults say (the two never drift). */
class DefaultsTest {

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
        assertThat(fromCli).usingRecursiveComparison().ignoringFields("nodeTopics", "fixedTopics").isEqualTo(library);
    }
}
