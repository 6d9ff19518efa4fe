package dev.handoff.topology;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the enqueue relay's copies that the topology's Streams group has committed past ({@code deleteRecords}),
 * as Kafka Streams does for its own repartition topics, so {@code <prefix>.enqueued} holds only what the topology
 * has not read yet. Asynchronous (admin futures); called on the relay thread, which owns the admin client.
 */
final class CopyPurger {
    private static final Logger LOGGER = LoggerFactory.getLogger(CopyPurger.class);

    private final String streamsGroup;
    private final String copiesTopic;
    private final Clock clock;
    private final Duration interval;
    private long next;

    CopyPurger(String streamsGroup, String copiesTopic, Clock clock, Duration interval) {
        this.streamsGroup = streamsGroup;
        this.copiesTopic = copiesTopic;
        this.clock = clock;
        this.interval = interval;
        // The first purge is one interval after start: a starting relay has its clients to make first.
        this.next = clock.millis() + interval.toMillis();
    }

    /** True when the interval since the last purge has passed. */
    boolean due() {
        return clock.millis() >= next;
    }

    /** Asks for the deletion now; a failure is logged and tried again at the next interval. */
    void purge(Admin admin) {
        next = clock.millis() + interval.toMillis();
        admin.listConsumerGroupOffsets(streamsGroup).partitionsToOffsetAndMetadata().whenComplete((read, e) -> {
            if (e != null) {
                LOGGER.atDebug().addKeyValue("error", e.toString()).log("cannot read the topology's offsets; not purging");
                return;
            }
            Map<TopicPartition, RecordsToDelete> purge = new HashMap<>();
            read.forEach((tp, o) -> {
                if (o != null && tp.topic().equals(copiesTopic)) {
                    purge.put(tp, RecordsToDelete.beforeOffset(o.offset()));
                }
            });
            if (!purge.isEmpty()) {
                admin.deleteRecords(purge).all().whenComplete((v, de) -> {
                    if (de != null) {
                        LOGGER.atDebug().addKeyValue("error", de.toString()).log("purging read copies failed");
                    }
                });
            }
        });
    }
}
