package dev.handoff.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.protocol.InvalidFieldException;
import dev.handoff.protocol.PartKey;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NameValidationTest {
    private static final String LONG = "n".repeat(129);

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"../x", "/abs", "", "..", ".", "a/b", "n\u0000"})
    void shouldRefuseABadGroupOrTypeNamingTheField(String bad) {
        // Given a bad name / When it is used / Then the field is named
        assertThatThrownBy(() -> new PartKey("l", bad, 0, 1)).isInstanceOf(InvalidFieldException.class)
            .hasMessageStartingWith("group ");
        assertThatThrownBy(() -> new Bundle.Type(bad, tmp, Map.of())).isInstanceOf(InvalidFieldException.class)
            .hasMessageStartingWith("types.type ");
        assertThatThrownBy(() -> new StoreLayout(tmp, bad)).isInstanceOf(InvalidFieldException.class)
            .hasMessageStartingWith("liaison ");
    }

    @Test
    void shouldRefuseNamesOf129CharactersButAccept128() {
        // Given / When / Then
        assertThatThrownBy(() -> new PartKey(LONG, "g", 0, 1)).hasMessageStartingWith("liaison ");
        assertThatThrownBy(() -> StoreLayout.requireTypeName(LONG)).hasMessageStartingWith("types.type ");
        assertThat(StoreLayout.requireTypeName("n".repeat(128))).hasSize(128);
    }

    @Test
    void shouldKeepEveryPathInsideTheLiaisonDirectory() {
        // Given a layout
        StoreLayout layout = new StoreLayout(tmp, "l1");

        // When paths are built / Then they follow the layout and refuse other liaisons and bad names
        assertThat(layout.file(new PartKey("l1", "g", 3, 255), "core", "a.bin"))
            .isEqualTo(tmp.toAbsolutePath().resolve("l1/g/3/00000000000000ff/core/a.bin"));
        assertThatThrownBy(() -> layout.bundleDir(new PartKey("l2", "g", 3, 255))).hasMessageStartingWith("liaison ");
        assertThatThrownBy(() -> layout.file(new PartKey("l1", "g", 3, 255), "core", "../../x"))
            .hasMessageStartingWith("files.name ");
        assertThatThrownBy(() -> layout.typeDir(new PartKey("l1", "g", 3, 255), "manifest.json"))
            .hasMessageStartingWith("types.type ");
    }

    @Test
    void shouldRefuseABadFileNameBeforeWritingAnything() throws Exception {
        // Given a part type directory holding a file whose name is 129 characters, and a nested directory
        Path core = Files.createDirectories(tmp.resolve("src/core"));
        Files.write(core.resolve(LONG), new byte[] {1});
        Path nested = Files.createDirectories(tmp.resolve("src2/core/sub"));
        BundleStore store = new BundleStore(new StoreLayout(tmp.resolve("store"), "l1"),
            new MicrometerProducerMetrics(new SimpleMeterRegistry()));

        // When it is planned / Then refused naming the field, and the store stays empty
        assertThatThrownBy(() -> store.plan(Bundle.of(new PartKey("l1", "g", 0, 1), new Bundle.Type("core", core, Map.of()))))
            .isInstanceOf(InvalidFieldException.class).hasMessageStartingWith("files.name ");
        assertThatThrownBy(() -> store.plan(Bundle.of(new PartKey("l1", "g", 0, 1),
            new Bundle.Type("core", nested.getParent(), Map.of()))))
            .isInstanceOf(InvalidFieldException.class).hasMessageContaining("flat directory of regular files");
        assertThat(tmp.resolve("store")).doesNotExist();
        assertThat(List.of(core.toFile().list())).hasSize(1);
    }
}
