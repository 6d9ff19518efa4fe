package dev.handoff.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StartedRolesTest {
    private final List<String> events = new ArrayList<>();

    /** A role that records its start and close in {@code events}, and fails either when told to. */
    private record Role(List<String> events, String name, boolean failStart, boolean failClose) implements AutoCloseable {
        void start() throws IOException {
            events.add("start " + name);
            if (failStart) {
                throw new IOException(name + " cannot start");
            }
        }

        @Override
        public void close() {
            events.add("close " + name);
            if (failClose) {
                throw new IllegalStateException(name + " cannot close");
            }
        }
    }

    private Role role(String name) {
        return new Role(events, name, false, false);
    }

    @Test
    void shouldCloseRolesInReverseOrderOfStart() throws Exception {
        // Given three roles started in order, one of them stopped early
        StartedRoles roles = new StartedRoles();
        roles.start(role("a"), Role::start);
        Role b = roles.start(role("b"), Role::start);
        roles.own(role("c"));
        roles.stop(b);
        // When the stack closes
        roles.close();
        // Then the stopped one is not closed again and the rest close last first
        assertThat(events).containsExactly("start a", "start b", "close b", "close c", "close a");
    }

    @Test
    void shouldCloseARoleWhoseStartFailsAndNotKeepIt() throws Exception {
        // Given a stack with one running role
        StartedRoles roles = new StartedRoles();
        roles.start(role("a"), Role::start);
        // When the next role's start fails
        assertThatThrownBy(() -> roles.start(new Role(events, "b", true, false), Role::start))
            .isInstanceOf(IOException.class).hasMessage("b cannot start");
        // Then it was closed at once, and closing the stack closes only the running one
        roles.close();
        assertThat(events).containsExactly("start a", "start b", "close b", "close a");
    }

    @Test
    void shouldCloseEveryRoleAndThrowTheFirstFailureWithTheOthersSuppressed() {
        // Given three roles of which the last two fail to close
        StartedRoles roles = new StartedRoles();
        roles.own(role("a"));
        roles.own(new Role(events, "b", false, true));
        roles.own(new Role(events, "c", false, true));
        // When / Then: every role is closed, the first failure (c's, closed first) carries b's
        assertThatThrownBy(roles::close).hasMessage("c cannot close")
            .satisfies(e -> assertThat(e.getSuppressed()).extracting(Throwable::getMessage).containsExactly("b cannot close"));
        assertThat(events).containsExactly("close c", "close b", "close a");
    }

    @Test
    void shouldCloseAListLastFirstAndReportEachFailure() {
        // Given a start-order list whose middle role fails to close
        List<String> failures = new ArrayList<>();
        // When it is closed
        StartedRoles.closeAll(List.of(role("a"), new Role(events, "b", false, true), role("c")),
            (r, e) -> failures.add(e.getMessage()));
        // Then all are closed, last first, and the failure is reported, not thrown
        assertThat(events).containsExactly("close c", "close b", "close a");
        assertThat(failures).containsExactly("b cannot close");
    }
}
