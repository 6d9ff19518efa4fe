package dev.handoff.datanode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.protocol.InvalidFieldException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DataNodeSettingsTest {
    private static final Path DIR = Path.of("/tmp/dn");

    @Test
    void shouldDefaultToAllInterfacesWithoutTestFaults() {
        DataNodeSettings s = DataNodeSettings.defaults(DIR);

        assertThat(s.listenHost()).isEqualTo("0.0.0.0");
        assertThat(s.port()).isEqualTo(9420);
        assertThat(s.tls()).isNull();
        assertThat(s.testLatencyPerSession()).isZero();
        assertThat(s.testFailureRate()).isZero();
        assertThat(s.unsafeNoFsyncBenchmarkOnly()).isFalse();
        assertThat(s.withUnsafeNoFsyncBenchmarkOnly(true).unsafeNoFsyncBenchmarkOnly()).isTrue();
    }

    @Test
    void shouldRefuseFailureRateOutsideZeroToOne() {
        assertThatThrownBy(() -> DataNodeSettings.defaults(DIR).withTestFailureRate(1.5))
            .isInstanceOf(InvalidFieldException.class).hasMessageContaining("testFailureRate");
        assertThatThrownBy(() -> DataNodeSettings.defaults(DIR).withTestFailureRate(Double.NaN))
            .hasMessageContaining("testFailureRate");
    }

    @Test
    void shouldRefuseNegativeLatencyBadPortAndMissingDir() {
        assertThatThrownBy(() -> DataNodeSettings.defaults(DIR).withTestLatencyPerSession(Duration.ofMillis(-1)))
            .hasMessageContaining("testLatencyPerSession");
        assertThatThrownBy(() -> DataNodeSettings.defaults(DIR).withListen("localhost", 70000))
            .hasMessageContaining("port");
        assertThatThrownBy(() -> DataNodeSettings.defaults(null)).hasMessageContaining("dataDir");
    }
}
