package dev.handoff.producer;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;

/**
 * Test-only access to the producer's crash hook (package-private in the producer): a producer that halts
 * its JVM (no shutdown hooks, no flush) after the bundle of one part id is linked and its manifest is
 * durable, and before any of its records is sent. Used by the e2e fault suite's child producer JVM.
 */
public final class CrashHooks {
    private CrashHooks() {
    }

    public static HandoffProducer haltBeforePublishing(ProducerSettings settings, MeterRegistry registry, Clock clock,
                                                       long partId, int exitCode) {
        return new HandoffProducer(settings, registry, clock, new Enqueuer.Hooks() {
            @Override
            public void beforePublish(dev.handoff.protocol.PartKey part) {
                if (part.partId() == partId) {
                    Runtime.getRuntime().halt(exitCode);
                }
            }
        });
    }
}
