package dev.handoff.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PartKeyTest {

    @Test
    void shouldWriteStringFormWithHexPartId() {
        // Given a part key
        PartKey key = new PartKey("liaison-0", "sw_metric", 3, 0xffL);

        // When it is written
        String text = key.toString();

        // Then it is liaison/group/shard/partId with 16 hex digits
        assertThat(text).isEqualTo("liaison-0/sw_metric/3/00000000000000ff");
        assertThat(key.groupShard()).isEqualTo("sw_metric/3");
    }

    @Test
    void shouldParseWhatItWrites() {
        // Given keys at the edges of the part id range
        for (long id : new long[] {0L, 1L, Long.MAX_VALUE, -1L, Long.MIN_VALUE}) {
            PartKey key = new PartKey("l.1", "g-2", Integer.MAX_VALUE, id);

            // When the string form is parsed
            PartKey parsed = PartKey.parse(key.toString());

            // Then it is the same key
            assertThat(parsed).isEqualTo(key);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "l/g/1|part",
        "l/g/1/0000000000000001/x|part",
        "l/g/one/0000000000000001|shard",
        "l/g/-1/0000000000000001|shard",
        "l/g/99999999999/0000000000000001|shard",
        "l/g/1/1|partId",
        "l/g/1/000000000000000X|partId",
        "../g/1/0000000000000001|liaison",
        "/g/1/0000000000000001|liaison",
        "l/../1/0000000000000001|group",
        "l//1/0000000000000001|group",
    })
    void shouldRefuseMalformedStringNamingTheField(String text, String field) {
        // Given a malformed string form
        // When / Then parsing fails naming the part at fault
        assertThatThrownBy(() -> PartKey.parse(text))
            .isInstanceOf(InvalidFieldException.class)
            .hasMessageStartingWith(field + " ")
            .satisfies(e -> assertThat(((InvalidFieldException) e).field()).isEqualTo(field));
    }

    @Test
    void shouldRefuseNullString() {
        // Given no text
        // When / Then parsing fails naming the field
        assertThatThrownBy(() -> PartKey.parse(null))
            .isInstanceOf(InvalidFieldException.class)
            .hasMessageContaining("part null");
    }

    @Test
    void shouldOrderPartIdsAsUnsigned() {
        // Given two keys that differ only in part id, one above 2^63
        PartKey small = new PartKey("l", "g", 1, 1L);
        PartKey large = new PartKey("l", "g", 1, -1L);

        // When / Then the unsigned order holds
        assertThat(small).isLessThan(large);
    }

    @Test
    void shouldMapAPartToItsDirectoryBelowTheLiaisonsDirectory() {
        // Given a part key
        PartKey key = new PartKey("l1", "g", 7, 0xabL);
        // When it is mapped below a directory, Then it is <group>/<shard>/<partIdHex>
        assertThat(key.directoryUnder(java.nio.file.Path.of("/store/l1")))
            .isEqualTo(java.nio.file.Path.of("/store/l1/g/7/00000000000000ab"));
    }
}
