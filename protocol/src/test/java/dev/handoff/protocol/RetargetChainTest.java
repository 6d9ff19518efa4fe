package dev.handoff.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetargetChainTest {
    private final Map<String, NodeStatus> statuses = new HashMap<>();

    private void retarget(String node, String to) {
        statuses.put(node, NodeStatus.unknown(node, 1).withRetargetTo(to));
    }

    @Test
    void shouldEndAtTheLastReplacementAndHaveNoStandInForANodeNotReplaced() {
        retarget("a:1", "b:1");
        retarget("b:1", "c:1");
        RetargetChain chain = RetargetChain.from("a:1", statuses::get);
        assertThat(chain.nodes()).containsExactly("a:1", "b:1", "c:1");
        assertThat(chain.standIn()).contains("c:1");
        assertThat(RetargetChain.from("c:1", statuses::get).standIn()).isEmpty();
        assertThat(RetargetChain.from("x:1", statuses::get).standIn()).isEmpty();
    }

    @Test
    void shouldReportALoopWithTheNodeReachedTwiceAndHaveNoStandIn() {
        retarget("a:1", "b:1");
        retarget("b:1", "a:1");
        RetargetChain chain = RetargetChain.from("a:1", statuses::get);
        assertThat(chain.loops()).isTrue();
        assertThat(chain.nodes()).containsExactly("a:1", "b:1", "a:1");
        assertThat(chain.standIn()).isEmpty();
    }

    @Test
    void shouldStopFollowingAfterMaxHops() {
        for (int i = 0; i <= RetargetChain.MAX_HOPS; i++) {
            retarget("n" + i + ":1", "n" + (i + 1) + ":1");
        }
        RetargetChain chain = RetargetChain.from("n0:1", statuses::get);
        assertThat(chain.tooLong()).isTrue();
        assertThat(chain.loops()).isFalse();
        assertThat(chain.standIn()).isEmpty();
        assertThat(chain.nodes()).hasSize(RetargetChain.MAX_HOPS + 1).startsWith("n0:1");
        assertThat(List.copyOf(chain.nodes())).doesNotHaveDuplicates();
    }
}
