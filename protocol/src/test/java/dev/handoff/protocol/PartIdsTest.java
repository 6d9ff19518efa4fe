package dev.handoff.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class PartIdsTest {

    static Stream<Arguments> ids() {
        return Stream.of(
            Arguments.of(0L, "0000000000000000"),
            Arguments.of(1L, "0000000000000001"),
            Arguments.of(0xabcdefL, "0000000000abcdef"),
            Arguments.of(Long.MAX_VALUE, "7fffffffffffffff"),
            Arguments.of(-1L, "ffffffffffffffff"),
            Arguments.of(Long.MIN_VALUE, "8000000000000000"));
    }

    @ParameterizedTest
    @MethodSource("ids")
    void shouldWriteSixteenLowercaseHexDigitsAndReadThemBack(long id, String hex) {
        // Given a part id (an unsigned 64-bit number held in a long)
        // When it is written
        String written = PartIds.toHex(id);

        // Then it is 16 lowercase hex digits and reads back to the same number
        assertThat(written).isEqualTo(hex);
        assertThat(PartIds.parseHex("partId", written)).isEqualTo(id);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "000000000000001", "00000000000000001", "ABCDEF0000000000", "000000000000000A",
        "000000000000000g", "0x00000000000001", "-000000000000001", " 000000000000001", "0000000000000001 "})
    void shouldRefuseHexThatIsNotSixteenLowercaseDigits(String hex) {
        // Given no part id, or text that is not exactly 16 lowercase hex digits
        // When / Then it is refused naming the field, the value and the rule
        assertThatThrownBy(() -> PartIds.parseHex("partId", hex))
            .isInstanceOf(InvalidFieldException.class)
            .hasMessageStartingWith("partId " + InvalidFieldException.show(hex) + ": ")
            .hasMessageContaining(PartIds.RULE);
    }
}
