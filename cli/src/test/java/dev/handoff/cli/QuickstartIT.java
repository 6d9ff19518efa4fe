package dev.handoff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The quickstart end to end, in-process: its own embedded broker, data nodes, topology, replayers. */
class QuickstartIT {
    private static final Pattern SUMMARY = Pattern.compile(
        "quickstart: enqueued=(\\d+) delivered=(\\d+) lost=(\\d+) duplicates=(\\d+) verified=(\\d+) elapsed=[0-9.]+s");

    @Test
    void shouldHandOffRecoverAndVerifyEveryPartWithTheExactSummaryLine() {
        // Given
        CommandLine cli = Main.commandLine();
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(new StringWriter(), true));

        // When
        int code = cli.execute("quickstart", "--parts", "30");

        // Then the last line is the summary, and it says nothing was lost or applied twice
        String[] lines = out.toString().strip().split("\n");
        Matcher m = SUMMARY.matcher(lines[lines.length - 1]);
        assertThat(m.matches()).as("last line: %s", lines[lines.length - 1]).isTrue();
        assertThat(code).isZero();
        assertThat(Integer.parseInt(m.group(1))).as("enqueued: one per part for the downed node").isEqualTo(30);
        assertThat(Integer.parseInt(m.group(2))).as("delivered").isEqualTo(30);
        assertThat(Integer.parseInt(m.group(3))).as("lost").isZero();
        assertThat(Integer.parseInt(m.group(4))).as("duplicates").isZero();
        assertThat(Integer.parseInt(m.group(5))).as("verified").isEqualTo(30);
        assertThat(out.toString()).contains("node status while").contains("DOWN");
    }

    @Test
    void shouldRunTheStoryAgainstABanyanDbTestReceiverAndVerifyEveryPart() {
        CommandLine cli = Main.commandLine();
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(new StringWriter(), true));

        int code = cli.execute("quickstart", "--sink", "banyandb", "--parts", "12");

        String[] lines = out.toString().strip().split("\n");
        Matcher m = SUMMARY.matcher(lines[lines.length - 1]);
        assertThat(m.matches()).as("last line: %s", lines[lines.length - 1]).isTrue();
        assertThat(code).isZero();
        assertThat(m.group(1) + "/" + m.group(2) + "/" + m.group(3) + "/" + m.group(4) + "/" + m.group(5))
            .as("enqueued/delivered/lost/duplicates/verified").isEqualTo("12/12/0/0/12");
        assertThat(out.toString()).contains("BanyanDB test receiver").contains("DOWN");
    }

    @Test
    void shouldRefuseZeroPartsAsBadUsage() {
        CommandLine cli = Main.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        assertThat(cli.execute("quickstart", "--parts", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--parts");
    }
}
