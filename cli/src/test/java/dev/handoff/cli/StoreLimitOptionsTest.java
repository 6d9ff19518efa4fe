package dev.handoff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
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
                "--store-max-percent=" + off).settings().storeMaxPercent()).as(off).isNull();
        }
        assertThat(parse("producer", "--store-dir=/tmp/s", "--liaison=l").settings().storeMaxPercent()).isEqualTo(90.0);
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

    @Test
    void shouldExitTwoWhenThePercentLimitIsOffAndNoByteLimitIsSet() {
        // Given the percentage limit off and no byte limit
        CommandLine cli = Main.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));

        // When the producer is started
        int code = cli.execute("producer", "--store-dir=/tmp/s", "--liaison=l", "--store-max-percent=off");

        // Then it is bad usage, naming the limit to set
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("storeMaxBytes");
    }

    @Test
    void shouldExitTwoForAPercentThatIsNeitherANumberNorOff() {
        // Given
        CommandLine cli = Main.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        // When
        int code = cli.execute("producer", "--store-dir=/tmp/s", "--liaison=l", "--store-max-percent=none");
        // Then
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--store-max-percent");
    }
}
