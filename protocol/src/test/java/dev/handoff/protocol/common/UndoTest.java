package dev.handoff.protocol.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UndoTest {

    @Test
    void shouldRunTheUndoAndReturnTheFirstFailureUntouchedWhenTheUndoSucceeds() {
        // Given a failure and an undo that works
        IOException failure = new IOException("write failed");
        List<String> undone = new ArrayList<>();

        // When it is undone
        IOException returned = Undo.after(failure, IOException.class, () -> undone.add("cut back"));

        // Then the undo ran and the same failure comes back, with nothing suppressed
        assertThat(undone).containsExactly("cut back");
        assertThat(returned).isSameAs(failure);
        assertThat(returned.getSuppressed()).isEmpty();
    }

    @Test
    void shouldAddTheUndosFailureAsSuppressedWhenItIsOfTheCaughtType() {
        // Given a failure and an undo that fails too, checked and unchecked
        IOException failure = new IOException("write failed");
        IOException truncate = new IOException("truncate failed");
        IllegalStateException abort = new IllegalStateException("abort failed");
        RuntimeException first = new RuntimeException("commit failed");

        // When each is undone
        Undo.after(failure, IOException.class, () -> {
            throw truncate;
        });
        Undo.after(first, IllegalStateException.class, () -> {
            throw abort;
        });

        // Then the first failure carries the undo's as suppressed
        assertThat(failure.getSuppressed()).containsExactly(truncate);
        assertThat(first.getSuppressed()).containsExactly(abort);
    }

    @Test
    void shouldLetAnUncheckedFailureOfTheUndoPropagateWhenItIsNotOfTheCaughtType() {
        // Given a failure and an undo that throws an unchecked exception outside the caught type
        IOException failure = new IOException("write failed");
        UnsupportedOperationException other = new UnsupportedOperationException("not this one");

        // When / Then that exception propagates, and the first failure is left as it was
        assertThatThrownBy(() -> Undo.after(failure, IOException.class, () -> {
            throw other;
        })).isSameAs(other);
        assertThat(failure.getSuppressed()).isEmpty();
    }
}
