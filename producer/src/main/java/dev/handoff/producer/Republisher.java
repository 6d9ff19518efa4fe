package dev.handoff.producer;

import dev.handoff.protocol.HandoffException;
import dev.handoff.protocol.common.Daemons;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes again, every {@code --republish-interval}, the bundles whose publish failed while the producer
 * runs. One scheduler thread it owns; {@link #runOnce} is also what a unit test calls.
 */
final class Republisher implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(Republisher.class);

    private final Enqueuer enqueuer;
    private final ProducerMetrics metrics;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
        Daemons.factory("handoff-producer-republish"));

    Republisher(Enqueuer enqueuer, ProducerMetrics metrics) {
        this.enqueuer = enqueuer;
        this.metrics = metrics;
    }

    void start(Duration interval) {
        long every = interval.toMillis();
        scheduler.scheduleWithFixedDelay(this::runOnce, every, every, TimeUnit.MILLISECONDS);
    }

    /** One round: publishes the waiting bundles until one fails again. Never throws (the scheduler must survive). */
    void runOnce() {
        if (enqueuer.unpublishedCount() == 0) {
            return;
        }
        try {
            int done = enqueuer.republishFailed();
            metrics.republished(done);
            LOGGER.atInfo().addKeyValue("bundles", done).addKeyValue("waiting", enqueuer.unpublishedCount())
                .log("republished bundles whose publish had failed");
        } catch (HandoffException | RuntimeException e) {
            // The bundles stay stored and are tried next round.
            LOGGER.atWarn().addKeyValue("waiting", enqueuer.unpublishedCount()).addKeyValue("error", e.toString())
                .log("republish failed again; retrying at the next interval");
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
