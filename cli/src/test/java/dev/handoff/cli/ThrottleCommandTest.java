package dev.handoff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.protocol.Throttle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code handoff throttle}'s refusals of bad usage (exit 2, naming what is wrong) and how a throttle is shown. */
class ThrottleCommandTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "throttle --max-parts-per-sec=5                        | NODE or --all",
        "throttle dn:1 --all --max-parts-per-sec=5             | NODE or --all",
        "throttle dn:1                                         | --clear",
        "throttle dn:1 --clear --max-bytes-per-sec=5           | --clear",
        "throttle dn:1 --max-parts-per-sec=-1                  | maxPartsPerSec",
        "throttle not-an-address --clear                       | NODE"})
    void shouldRefuseBadUsageWithExitCodeTwo(String args, String message) {
        // Given / When the verb runs with bad arguments (against no broker: nothing is sent)
        CliRun r = CliRun.of((args.trim() + " --bootstrap-servers=127.0.0.1:1 --kafka-timeout=1s").split("\\s+"));

        // Then it exits 2 with a line naming what is wrong
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(message);
    }

    @Test
    void shouldShowEachLimitAsSetDefaultOrUnlimited() {
        assertThat(ThrottleCommand.describe(null)).isEqualTo("-");
        assertThat(ThrottleCommand.describe(new Throttle(5L, null))).isEqualTo("5 parts/s, default bytes/s");
        assertThat(ThrottleCommand.describe(new Throttle(0L, 3L << 20))).isEqualTo("unlimited parts/s, 3.0 MiB/s");
    }
}
