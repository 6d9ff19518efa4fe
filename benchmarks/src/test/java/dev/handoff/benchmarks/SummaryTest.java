package dev.handoff.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How the runs of one row are folded: medians, spread and "met?" on every row with a target. */
class SummaryTest {
    private static Result run(double value, double baseline, Target target) {
        return new Result("recovery.p50", "trial of " + value, value, baseline, "ms", target, "raw watch", "");
    }

    @Test
    void shouldReportTheMedianRunWithItsMinMaxSpread() {
        // Given three runs of one row
        Target target = Target.atMost(1000, "ms");
        List<Result> runs = List.of(run(900, 300, target), run(500, 250, target), run(1200, 200, target));

        // When they are folded
        Summary s = Summary.of(runs, 1.5);

        // Then the value and baseline are medians, the spread is min-max, and the words come from the median run
        assertThat(s.value()).isEqualTo(900);
        assertThat(s.baseline()).isEqualTo(250);
        assertThat(s.minValue()).isEqualTo(500);
        assertThat(s.maxValue()).isEqualTo(1200);
        assertThat(s.ratio()).isEqualTo(3.0);
        assertThat(s.median().scenario()).isEqualTo("trial of 900.0");
        assertThat(s.met()).isEqualTo("yes");
        assertThat(s.line()).isEqualTo("bench recovery.p50 value=900.00ms baseline=250.00ms ratio=3.000 min=500.00ms "
            + "max=1200ms runs=3 met=yes");
    }

    @Test
    void shouldJudgeAP50RowByItsTargetInsteadOfCallingItMet() {
        // Given a p50 row whose median misses its target, and rows without a target or with a failed extra condition
        Target ratio = Target.ratioAtMost(1.5, "raw");
        Summary missed = Summary.of(List.of(run(10, 5, ratio), run(12, 5, ratio), run(4, 5, ratio)), 0);
        Summary none = Summary.of(List.of(run(10, 5, Target.NONE)), 0);
        Summary extra = Summary.of(List.of(run(1, 1, Target.atMost(2, "x").and("first delivery <= 2 s", false))), 0);

        // Then each is judged, not assumed
        assertThat(missed.met()).isEqualTo("no");
        assertThat(none.met()).isEqualTo("–");
        assertThat(extra.met()).isEqualTo("no");
        assertThat(extra.median().target().text()).isEqualTo("<= 2 x and first delivery <= 2 s");
    }

    @Test
    void shouldTakeTheMeanOfTheMiddleTwoForAnEvenNumberOfRuns() {
        assertThat(Summary.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
    }
}
