package dev.handoff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {

    private static final String[] VERBS = {"quickstart", "run", "producer", "topology", "replayer", "datanode", "init",
        "enqueue", "status", "pause", "resume", "truncate", "parked", "quarantine"};

    @Test
    void shouldListEveryVerbOfTheContractInHelp() {
        // When
        CliRun r = CliRun.of("--help");
        // Then
        assertThat(r.code()).isZero();
        for (String verb : VERBS) {
            assertThat(r.out()).contains(verb);
        }
    }

    @Test
    void shouldQuietEveryVerbButTheRolesWhenNotVerbose() {
        // Given every verb of the launcher
        CommandLine cli = Main.commandLine();
        // When each is classified / Then only the long-running roles keep their logs
        assertThat(cli.getSubcommands().values().stream().filter(c -> OperatorVerbLogs.isRole(c.getCommandSpec()))
            .map(CommandLine::getCommandName))
            .containsExactlyInAnyOrder("run", "producer", "topology", "replayer", "datanode", "banyandb-node");
        assertThat(cli.getSubcommands().get("parked").getSubcommands().values())
            .noneMatch(c -> OperatorVerbLogs.isRole(c.getCommandSpec()));
        assertThat(cli.getSubcommands().get("quarantine").getSubcommands().values())
            .noneMatch(c -> OperatorVerbLogs.isRole(c.getCommandSpec()));
    }

    @Test
    void shouldTakeVerboseFromTheVerbThatRuns() {
        // Given / When / Then
        assertThat(OperatorVerbLogs.verbose(Main.commandLine().parseArgs("status", "-v"))).isTrue();
        assertThat(OperatorVerbLogs.verbose(Main.commandLine().parseArgs("parked", "list", "--verbose"))).isTrue();
        assertThat(OperatorVerbLogs.verbose(Main.commandLine().parseArgs("status"))).isFalse();
        assertThat(OperatorVerbLogs.verbose(Main.commandLine().parseArgs("pause", "a:1"))).isFalse();
        assertThat(OperatorVerbLogs.verbose(Main.commandLine().parseArgs("datanode", "--dir=d", "-v"))).isTrue();
        assertThat(OperatorVerbLogs.verbose(Main.commandLine().parseArgs("run", "--verbose"))).isTrue();
        assertThat(OperatorVerbLogs.verbose(Main.commandLine().parseArgs("banyandb-node", "--dir=d"))).isFalse();
        CommandLine fromEnvironment = Main.commandLine();
        fromEnvironment.setDefaultValueProvider(new EnvironmentDefaults(Map.of("HANDOFF_VERBOSE", "true")));
        assertThat(OperatorVerbLogs.verbose(fromEnvironment.parseArgs("status"))).isTrue();
    }

    @Test
    void shouldExitTwoWithoutAVerb() {
        assertThat(CliRun.of().code()).isEqualTo(2);
    }

    @Test
    void shouldExitTwoForAnUnknownOption() {
        CliRun r = CliRun.of("--no-such-option");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--no-such-option");
    }

    @Test
    void shouldMapLongOptionsToEnvironmentVariables() {
        assertThat(EnvironmentDefaults.variableFor("--bootstrap-servers")).isEqualTo("HANDOFF_BOOTSTRAP_SERVERS");
        assertThat(EnvironmentDefaults.variableFor("--store-max-bytes")).isEqualTo("HANDOFF_STORE_MAX_BYTES");
        assertThat(new EnvironmentDefaults(Map.of()).defaultValue(
            CommandLine.Model.OptionSpec.builder("--x").defaultValue("d").build())).isEqualTo("d");
        assertThat(new EnvironmentDefaults(Map.of("HANDOFF_X", "from-env")).defaultValue(
            CommandLine.Model.OptionSpec.builder("--x").defaultValue("d").build())).isEqualTo("from-env");
    }
}
