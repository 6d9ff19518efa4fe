package dev.handoff.replayer;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps node topics holding only what is pending: every interval, advances the log start of each
 * partition this replayer committed to its committed offset ({@code deleteRecords}, asynchronous).
 * Called on the poll thread (admin callbacks only touch a concurrent map); the admin client is owned by the caller.
 */
final class LogStartAdvancer {
    private static final Logger LOGGER = LoggerFactory.getLogger(LogStartAdvancer.class);

    private final Admin admin;
    private final Clock clock;
    private final long intervalMillis;
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private final Map<TopicPartition, Long> advanced = new java.util.concurrent.ConcurrentHashMap<>();
    private long nextRun;

    LogStartAdvancer(Admin admin, Clock clock, long intervalMillis) {
        this.admin = admin;
        this.clock = clock;
        this.intervalMillis = intervalMillis;
        this.nextRun = clock.millis() + intervalMillis;
    }

    void committed(TopicPartition tp, long nextOffset) {
        committed.merge(tp, nextOffset, Math::max);
    }

    void forget(TopicPartition tp) {
        committed.remove(tp);
        advanced.remove(tp);
    }

    /** Requests deleteRecords for partitions whose committed offset moved, when the interval has passed. */
    void maybeAdvance() {
        long now = clock.millis();
        if (now < nextRun) {
            return;
        }
        nextRun = now + intervalMillis;
        Map<TopicPartition, RecordsToDelete> request = new HashMap<>();
        committed.forEach((tp, offset) -> {
            if (offset > advanced.getOrDefault(tp, -1L)) {
                request.put(tp, RecordsToDelete.beforeOffset(offset));
            }
        });
        if (request.isEmpty()) {
            return;
        }
        request.forEach((tp, r) -> advanced.put(tp, r.beforeOffset()));
        admin.deleteRecords(request).all().whenComplete((v, e) -> {
            if (e != null) {
                LOGGER.atWarn().addKeyValue("partitions", request.size()).addKeyValue("error", e.toString())
                    .log("cannot advance node topic log start; will retry");
                request.keySet().forEach(advanced::remove);
            } else {
                LOGGER.atDebug().addKeyValue("partitions", request.size()).log("node topic log start advanced");
            }
        });
    }
}
