package dev.handoff.replayer.internals;

import dev.handoff.protocol.common.Backoff;
import dev.handoff.replayer.ReplayerSettings;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Decides what happens after a failed delivery: retry after a jittered exponential delay, or park
 * once a record has used up its retry budget. An unreachable node backs off the node without using
 * up any record's budget (the outage is not the record's fault). Immutable.
 */
final class RetryPolicy {
    private final Backoff backoff;
    private final int budget;

    RetryPolicy(Duration initial, Duration max, int budget, DoubleSupplier random) {
        this.backoff = new Backoff(initial, max, random);
        this.budget = budget;
    }

    static RetryPolicy of(ReplayerSettings s) {
        return new RetryPolicy(s.backoffInitial(), s.backoffMax(), s.retryBudget(),
            () -> java.util.concurrent.ThreadLocalRandom.current().nextDouble());
    }

    /** True when a record that has failed {@code failures} times is parked instead of retried. */
    boolean exhausted(int failures) {
        return failures >= budget;
    }

    /** The wait before the next try after {@code failures} consecutive failures (1 = first failure). */
    Duration delay(int failures) {
        return backoff.delay(failures);
    }

    int budget() {
        return budget;
    }
}
