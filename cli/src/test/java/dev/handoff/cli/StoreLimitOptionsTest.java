package dev.handoff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** The part store's limits as an operator writes them, on the verbs that run a producer. */
class StoreLimitOptionsTest {

    private static ProducerCommand parse(String... args) {
        CommandLine cli = Main.commandLine();
        cli.parseArgs(args);
        return (ProducerCommand) cli.getSubcommands().get("producer").getCommand();
    }

    @Test
    void shouldTurnThePercentLimitOffWhenOffOrZero() {
        // Given / When / Then
        for (String off : new String[] {"off", "OFF", "0"}) {
            assertThat(parse("producer", "--store-dir=/tmp/s", "--liaison=l", "--store-max-bytes=1000",
                "--store-max-percent=" + off).settings().store().maxPercent()).as(off).isNull();
        }
        assertThat(parse("producer", "--store-dir=/tmp/s", "--liaison=l").settings().store().maxPercent()).isEqualTo(90.0);
    }

    @Test
    void shouldGiveRunTheSameStoreLimitOptions() {
        // Given / When
        CommandLine cli = Main.commandLine();
        cli.parseArgs("run", "--store-max-bytes=5000", "--store-max-percent=off");
        StoreLimitOptions limits = ((RunCommand) cli.getSubcommands().get("run").getCommand()).storeLimits;
        // Then
        assertThat(limits.maxBytes()).isEqualTo(5000L);
        assertThat(limits.maxPercent()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // the percentage off and no byte limit: the message names the limit to set
        "--store-max-percent=off, storeMaxBytes",
        // neither a number nor off
        "--store-max-percent=none, --store-max-percent"})
    void shouldExitTwoForStoreLimitsThatCannotLimitTheStore(String option, String named) {
        // Given / When the producer is started with the option
        CliRun r = CliRun.of("producer", "--store-dir=/tmp/s", "--liaison=l", option);
        // Then it is bad usage, naming what to fix
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(named);
    }
}
