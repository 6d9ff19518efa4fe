package dev.handoff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The quickstart end to end, in-process: its own embedded broker, data nodes, topology, replayers. */
class QuickstartIT {
    private static final Pattern SUMMARY = Pattern.compile(
        "quickstart: enqueued=(\\d+) delivered=(\\d+) lost=(\\d+) duplicates=(\\d+) verified=(\\d+) elapsed=[0-9.]+s");

    @Test
    void shouldHandOffRecoverAndVerifyEveryPartWithTheExactSummaryLine() {
        // When
        CliRun r = CliRun.of("quickstart", "--parts", "30");

        // Then the last line is the summary, and it says nothing was lost or applied twice
        Matcher m = summary(r);
        assertThat(Integer.parseInt(m.group(1))).as("enqueued: one per part for the downed node").isEqualTo(30);
        assertThat(Integer.parseInt(m.group(2))).as("delivered").isEqualTo(30);
        assertThat(Integer.parseInt(m.group(3))).as("lost").isZero();
        assertThat(Integer.parseInt(m.group(4))).as("duplicates").isZero();
        assertThat(Integer.parseInt(m.group(5))).as("verified").isEqualTo(30);
        assertThat(r.out()).contains("node status while").contains("DOWN");
    }

    @Test
    void shouldRunTheStoryAgainstABanyanDbTestReceiverAndVerifyEveryPart() {
        CliRun r = CliRun.of("quickstart", "--sink", "banyandb", "--parts", "12");

        Matcher m = summary(r);
        assertThat(m.group(1) + "/" + m.group(2) + "/" + m.group(3) + "/" + m.group(4) + "/" + m.group(5))
            .as("enqueued/delivered/lost/duplicates/verified").isEqualTo("12/12/0/0/12");
        assertThat(r.out()).contains("BanyanDB test receiver").contains("DOWN");
    }

    @Test
    void shouldRefuseZeroPartsAsBadUsage() {
        CliRun r = CliRun.of("quickstart", "--parts", "0");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--parts");
    }

    /** The run's last line, which must be the summary line, after a zero exit. */
    private static Matcher summary(CliRun r) {
        String[] lines = r.out().strip().split("\n");
        Matcher m = SUMMARY.matcher(lines[lines.length - 1]);
        assertThat(m.matches()).as("last line: %s", lines[lines.length - 1]).isTrue();
        assertThat(r.code()).isZero();
        return m;
    }
}
