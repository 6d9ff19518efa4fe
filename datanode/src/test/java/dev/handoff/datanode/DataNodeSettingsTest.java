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
        DataNodeSettings s = DataNodeSettings.builder(DIR).build();

        assertThat(s.listenHost()).isEqualTo("0.0.0.0");
        assertThat(s.port()).isEqualTo(9420);
        assertThat(s.tls()).isNull();
        assertThat(s.testLatencyPerSession()).isZero();
        assertThat(s.testFailureRate()).isZero();
        assertThat(s.unsafeNoFsyncBenchmarkOnly()).isFalse();
        assertThat(s.toBuilder().unsafeNoFsyncBenchmarkOnly(true).build().unsafeNoFsyncBenchmarkOnly()).isTrue();
    }

    @Test
    void shouldRefuseFailureRateOutsideZeroToOne() {
        assertThatThrownBy(() -> DataNodeSettings.builder(DIR).testFailureRate(1.5).build())
            .isInstanceOf(InvalidFieldException.class).hasMessageContaining("testFailureRate");
        assertThatThrownBy(() -> DataNodeSettings.builder(DIR).testFailureRate(Double.NaN).build())
            .hasMessageContaining("testFailureRate");
    }

    @Test
    void shouldRefuseNegativeLatencyBadPortAndMissingDir() {
        assertThatThrownBy(() -> DataNodeSettings.builder(DIR).testLatencyPerSession(Duration.ofMillis(-1)).build())
            .hasMessageContaining("testLatencyPerSession");
        assertThatThrownBy(() -> DataNodeSettings.builder(DIR).listen("localhost", 70000).build())
            .hasMessageContaining("port");
        assertThatThrownBy(() -> DataNodeSettings.builder(null).build()).hasMessageContaining("dataDir");
    }

    @Test
    void shouldKeepEveryValueThroughToBuilder() {
        DataNodeSettings s = DataNodeSettings.builder(DIR).listen("localhost", 7).testLatencyPerSession(Duration.ofMillis(5))
            .testFailureRate(0.5).build();
        assertThat(s.toBuilder().build()).isEqualTo(s);
    }
}
