package dev.handoff.datanode;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.protocol.grpc.FileInfo;
import dev.handoff.protocol.grpc.PartKey;
import dev.handoff.protocol.grpc.PartTypeInfo;
import dev.handoff.protocol.grpc.SyncHeader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every name of a PartSync header that becomes a path is refused when hostile, naming the field. */
class HeaderNamesTest {
    private static final String LONG = "a".repeat(129);

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
        "liaison | ../x",
        "liaison | a/b",
        "liaison | ''",
        "group   | /abs",
        "group   | nul\u0000x",
        "group   | LONG",
        "type    | ..",
        "type    | nul\u0000x",
        "type    | LONG",
        "file    | ../../etc/passwd",
        "file    | nul\u0000x",
        "file    | LONG",
    })
    void shouldRefuseHostileNameNamingTheField(String field, String value) {
        // Given a header with one hostile name
        String bad = value.equals("LONG") ? LONG : value;
        PartKey.Builder key = PartKey.newBuilder().setLiaison("liaison-1").setGroup("g").setShard(0).setPartId(1);
        String type = "core";
        String file = "a.bin";
        switch (field) {
            case "liaison" -> key.setLiaison(bad);
            case "group" -> key.setGroup(bad);
            case "type" -> type = bad;
            default -> file = bad;
        }
        SyncHeader header = SyncHeader.newBuilder().setPart(key)
            .addTypes(PartTypeInfo.newBuilder().setType(type).addFiles(FileInfo.newBuilder().setName(file).setSize(1)))
            .build();

        // When it is validated, Then it is refused under the names rule, naming the field
        String named = switch (field) {
            case "type" -> "types.type";
            case "file" -> "files.name";
            default -> field;
        };
        assertThatThrownBy(() -> SyncSession.validate(header)).hasMessageStartingWith("names: " + named + " ");
    }
}
