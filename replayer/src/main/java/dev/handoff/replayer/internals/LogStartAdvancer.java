package dev.handoff.replayer.internals;

import dev.handoff.protocol.TopologyGroups;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps node topics holding only what is pending: every interval, advances the log start of each
 * partition this replayer committed to its committed offset ({@code deleteRecords}, asynchronous) — but
 * never past what the topology's enqueue relay has committed on that partition (its copy is then in
 * {@code <prefix>.enqueued}), so the topology has every enqueue record (and learns its targets, without which
 * a bundle is never released) before it is deleted. A running topology that has not committed anything yet
 * holds every partition; only while the topology's groups do not exist at all (no topology deployed) is the
 * replayer's own offset the bound.
 * Called on the poll thread (admin callbacks only touch a concurrent map); the admin client is owned by the caller.
 */
final class LogStartAdvancer {
    private static final Logger LOGGER = LoggerFactory.getLogger(LogStartAdvancer.class);

    private final Admin admin;
    private final String relayGroup;
    private final String legacyGroup;
    private final Clock clock;
    private final long intervalMillis;
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private final Map<TopicPartition, Long> advanced = new java.util.concurrent.ConcurrentHashMap<>();
    private long nextRun;

    /**
     * @param topologyApplicationId the topology's application id; empty turns the guard off. The bound is the
     *     topology's enqueue-relay group ({@link TopologyGroups#relayGroup}); while that group does not exist, the
     *     Streams group of the same id is, which is the group a topology before the relay read node topics in (so
     *     upgrading the replayers first deletes nothing an old topology has not read).
     */
    LogStartAdvancer(Admin admin, String topologyApplicationId, Clock clock, long intervalMillis) {
        this.admin = admin;
        this.relayGroup = topologyApplicationId.isEmpty() ? "" : TopologyGroups.relayGroup(topologyApplicationId);
        this.legacyGroup = topologyApplicationId;
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
        Map<TopicPartition, Long> moved = new HashMap<>();
        committed.forEach((tp, offset) -> {
            if (offset > advanced.getOrDefault(tp, -1L)) {
                moved.put(tp, offset);
            }
        });
        if (moved.isEmpty()) {
            return;
        }
        if (relayGroup.isEmpty()) {
            delete(moved);
            return;
        }
        whenGroup(relayGroup, exists -> advanceBoundBy(exists ? relayGroup : legacyGroup, moved), () -> { });
    }

    /** Lowers {@code moved} to what {@code group} has committed, then deletes. */
    private void advanceBoundBy(String group, Map<TopicPartition, Long> moved) {
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().whenComplete((read, e) -> {
            if (e != null && !isUnknownGroup(e)) {
                LOGGER.atWarn().addKeyValue("group", group).addKeyValue("error", e.toString())
                    .log("cannot read the topology's offsets; node topic log start not advanced");
            } else if (e == null && !read.isEmpty()) {
                delete(boundByTopology(moved, read));
            } else {
                // No offsets at all: either no topology is deployed (trim by the replayer's offsets alone), or
                // it runs and has not committed yet (hold: it has not read these records).
                whenGroup(group, exists -> {
                    if (!exists) {
                        delete(moved);
                    }
                }, () -> { });
            }
        });
    }

    /**
     * Tells {@code then} whether {@code group} exists (a dead or never-joined group does not); when the group
     * cannot be described, logs and runs {@code unknown} instead.
     */
    private void whenGroup(String group, java.util.function.Consumer<Boolean> then, Runnable unknown) {
        admin.describeConsumerGroups(java.util.List.of(group)).describedGroups().get(group)
            .whenComplete((described, e) -> {
                if (e != null && !isUnknownGroup(e)) {
                    LOGGER.atWarn().addKeyValue("group", group).addKeyValue("error", e.toString())
                        .log("cannot describe the topology's group; node topic log start not advanced");
                    unknown.run();
                } else {
                    then.accept(e == null && described.groupState() != org.apache.kafka.common.GroupState.DEAD);
                }
            });
    }

    /** Lowers each offset to the topology's; a partition the (existing) topology has not committed yet is held. */
    static Map<TopicPartition, Long> boundByTopology(Map<TopicPartition, Long> moved, Map<TopicPartition, OffsetAndMetadata> topology) {
        if (topology.isEmpty()) {
            return moved;
        }
        Map<TopicPartition, Long> out = new HashMap<>();
        moved.forEach((tp, offset) -> {
            OffsetAndMetadata t = topology.get(tp);
            if (t != null) {
                out.put(tp, Math.min(offset, t.offset()));
            }
        });
        return out;
    }

    private static boolean isUnknownGroup(Throwable e) {
        Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        return cause instanceof org.apache.kafka.common.errors.GroupIdNotFoundException;
    }

    private void delete(Map<TopicPartition, Long> offsets) {
        Map<TopicPartition, RecordsToDelete> request = new HashMap<>();
        offsets.forEach((tp, o) -> request.put(tp, RecordsToDelete.beforeOffset(o)));
        if (request.isEmpty()) {
            return;
        }
        offsets.forEach(advanced::put);
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
