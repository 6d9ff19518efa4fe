package dev.handoff.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "core", "sidx_timestamp", "group-1", "Liaison.A", "...", ".hidden", "a..b", "0", "-"})
    void shouldAcceptNameOfAllowedCharacters(String name) {
        // Given a name of [A-Za-z0-9._-] that is neither "." nor ".."
        // When it is validated
        String accepted = Names.requireName("group", name);

        // Then it is returned unchanged
        assertThat(accepted).isEqualTo(name);
        assertThat(Names.isValid(name)).isTrue();
    }

    @Test
    void shouldAcceptNameOf128Characters() {
        // Given a name at the length limit
        String name = "a".repeat(Names.MAX_LENGTH);

        // When / Then it is accepted
        assertThat(Names.requireName("group", name)).hasSize(128);
    }

    @Test
    void shouldRefuseNameOf129Characters() {
        // Given a name one character over the limit
        String name = "b".repeat(129);

        // When / Then it is refused, naming the field and the rule
        assertThatThrownBy(() -> Names.requireName("liaison", name))
            .isInstanceOf(InvalidNameException.class)
            .hasMessageContaining("liaison")
            .hasMessageContaining("bbbbbbbb")
            .hasMessageContaining("1-128 characters");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", ".", "..", "../x", "/abs", "a/b", "a b", "a:b", "a\\b", "é", "a\tb"})
    void shouldRefuseNameBreakingTheRule(String name) {
        // Given no name, or one that is empty, a relative path element, a path or has other characters
        // When / Then it is refused with an error that names the field, the value and the rule
        assertThatThrownBy(() -> Names.requireName("group", name))
            .isInstanceOf(InvalidNameException.class)
            .hasMessageStartingWith("group " + InvalidFieldException.show(name) + ": ")
            .hasMessageContaining(Names.RULE);
        assertThat(Names.isValid(name)).isFalse();
    }

    @Test
    void shouldRefuseGroupWithDotDot() {
        // Given the classic path traversal
        // When / Then the message is the one the house style shows
        assertThatThrownBy(() -> Names.requireName("group", "../x"))
            .isInstanceOf(InvalidNameException.class)
            .hasMessage("group \"../x\": " + Names.RULE);
    }

    @Test
    void shouldRefuseNameWithNulCharacterAndShowItEscaped() {
        // Given a name with an embedded NUL
        String name = "core\0x";

        // When / Then it is refused and the NUL is shown escaped, not raw
        assertThatThrownBy(() -> Names.requireName("types.type", name))
            .isInstanceOf(InvalidNameException.class)
            .hasMessageContaining("types.type")
            .hasMessageContaining("core\\u0000x")
            .hasMessageNotContaining("\0")
            .hasMessageContaining(Names.RULE);
    }

    @Test
    void shouldReportFieldOfRefusedName() {
        // Given a refused name
        // When the exception is caught
        InvalidNameException e = catchThrowableOfType(
            InvalidNameException.class, () -> Names.requireName("group", ".."));

        // Then the field is available to callers
        assertThat(e.field()).isEqualTo("group");
    }

    @Test
    void shouldRefuseNegativeNumberNamingTheField() {
        // Given a negative shard
        // When / Then it is refused naming the field and the value
        assertThatThrownBy(() -> Names.nonNegative("shard", -1))
            .isInstanceOf(InvalidFieldException.class)
            .hasMessageContaining("shard")
            .hasMessageContaining("-1");
        assertThat(Names.nonNegative("shard", 0)).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "a\nb"})
    void shouldRefuseBlankOrControlText(String text) {
        // Given free text that is blank or holds a control character
        // When / Then it is refused naming the field
        assertThatThrownBy(() -> Names.requireText("observer", text))
            .isInstanceOf(InvalidFieldException.class)
            .hasMessageContaining("observer");
    }

    @Test
    void shouldCutVeryLongValuesInMessages() {
        // Given a 10,000-character value
        String value = "x".repeat(10_000);

        // When it is shown in an error
        String shown = InvalidFieldException.show(value);

        // Then it is cut and says how long it was
        assertThat(shown).hasSizeLessThan(200).contains("(10000 chars)");
    }
}
