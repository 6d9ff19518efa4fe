package dev.handoff.producer;

import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.common.Daemons;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer's periodic {@link StoreCheck} (sizes only, never a change), every {@code --store-check-interval}; its
 * counts are the {@code handoff.store.check.*} gauges. An orphan or a lost record counts only when the previous run
 * found it too: a bundle is an orphan for a moment between its last completion and its Release. Owns one thread.
 */
final class StoreChecker implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(StoreChecker.class);

    private final ProducerSettings settings;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
        Daemons.factory("handoff-store-check"));
    private final Map<StoreCheck.Kind, Long> counts = new EnumMap<>(StoreCheck.Kind.class);
    private Set<PartKey> lastOrphans = Set.of();
    private Set<PartKey> lastLost = Set.of();

    StoreChecker(ProducerSettings settings) {
        this.settings = settings;
        for (StoreCheck.Kind k : StoreCheck.Kind.values()) {
            counts.put(k, 0L);
        }
    }

    void start(Duration interval) {
        long every = interval.toMillis();
        scheduler.scheduleWithFixedDelay(this::runOnce, every, every, TimeUnit.MILLISECONDS);
    }

    /** One check; never throws (the scheduler must survive), a failure keeps the last counts. */
    void runOnce() {
        try {
            StoreCheck.Report report = StoreCheck.check(settings.storeDir(), settings.kafka(), settings.topics(),
                settings.storeCheck().replayerGroupId(), settings.publish().timeout(), false);
            Set<PartKey> orphans = new HashSet<>(report.parts(StoreCheck.Kind.ORPHAN));
            Set<PartKey> lost = new HashSet<>(report.parts(StoreCheck.Kind.LOST));
            Map<StoreCheck.Kind, Long> found = report.counts();
            synchronized (counts) {
                counts.putAll(found);
                counts.put(StoreCheck.Kind.ORPHAN, orphans.stream().filter(lastOrphans::contains).count());
                counts.put(StoreCheck.Kind.LOST, lost.stream().filter(lastLost::contains).count());
            }
            lastOrphans = orphans;
            lastLost = lost;
            if (!report.clean()) {
                LOGGER.atWarn().addKeyValue("findings", found).log("store check found differences with Kafka; "
                    + "run `handoff store check --store-dir ...` for the list");
            }
        } catch (Exception e) {
            LOGGER.atWarn().addKeyValue("error", e.toString()).log("store check failed; trying again at the next interval");
        }
    }

    /** The latest count of {@code kind}. */
    long count(StoreCheck.Kind kind) {
        synchronized (counts) {
            return counts.get(kind);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
