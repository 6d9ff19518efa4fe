package dev.handoff.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.protocol.Completion.Outcome;
import dev.handoff.protocol.ControlCommand.Action;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Fields that only one kind of record carries ({@link Names#onlyFor}): a throttle, a retarget's new node. */
class KindFieldsTest {
    private static final PartKey PART = new PartKey("liaison-0", "g", 0, 1L);
    private static final Throttle THROTTLE = new Throttle(5L, null);

    @Test
    void shouldRefuseAThrottleOnAnyActionButThrottleAndRequireItOnThrottle() {
        assertRefused(() -> new ControlCommand("dn:1", Action.PAUSE, "alice", 3, THROTTLE),
            "throttle", "only for action THROTTLE, not PAUSE");
        assertRefused(() -> new ControlCommand("dn:1", Action.THROTTLE, "alice", 3, null),
            "throttle", "throttle null: required for action THROTTLE");
        assertThat(new ControlCommand("dn:1", Action.THROTTLE, "alice", 3, THROTTLE).throttle()).isEqualTo(THROTTLE);
    }

    @Test
    void shouldRefuseANewNodeOnAnyActionButRetargetAndCheckItOnRetarget() {
        assertRefused(() -> new ControlCommand("dn:1", Action.RESUME, "alice", 3, null, "dn:2"),
            "to", "to \"dn:2\": only for action RETARGET, not RESUME");
        assertRefused(() -> ControlCommand.retarget("dn:1", null, "alice", 3), "to", NodeAddress.RULE);
        assertRefused(() -> ControlCommand.retarget("dn:1", "dn:1", "alice", 3), "to", "must differ from node dn:1");
        assertThat(ControlCommand.retarget("dn:1", "dn:2", "alice", 3).to()).isEqualTo("dn:2");
    }

    @Test
    void shouldRefuseRetargetedToOnAnyOutcomeButRetargetedAndCheckItOnRetargeted() {
        assertRefused(() -> completion(Outcome.DELIVERED, "dn:2"),
            "retargetedTo", "retargetedTo \"dn:2\": only for outcome RETARGETED, not DELIVERED");
        assertRefused(() -> completion(Outcome.RETARGETED, null), "retargetedTo", NodeAddress.RULE);
        assertThat(completion(Outcome.RETARGETED, "dn:2").retargetedTo()).isEqualTo("dn:2");
        assertThat(completion(Outcome.DELIVERED, null).retargetedTo()).isNull();
    }

    private static Completion completion(Outcome outcome, String retargetedTo) {
        return new Completion("dn:1", PART, outcome, "replayer:r1", 1, "handoff.node.dn.3a1", 0, 7, 9, retargetedTo);
    }

    private static void assertRefused(ThrowingCallable call, String field, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(InvalidFieldException.class,
            e -> assertThat(e.field()).isEqualTo(field)).hasMessageContaining(message);
    }
}
