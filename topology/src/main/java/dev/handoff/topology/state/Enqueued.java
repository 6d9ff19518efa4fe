package dev.handoff.topology.state;

import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.Names;
import dev.handoff.protocol.PartKey;
import java.util.List;

/**
 * The part of an enqueue record the topology needs, with the record's position
 * ({@code topic/partition/offset}): the identity a {@link dev.handoff.protocol.Completion} names.
 * The file lists are dropped so the repartition topic stays small.
 */
public record Enqueued(
    String topic, int partition, long offset, String node, PartKey part, List<String> targets, long bytes, long enqueuedAt) {

    public Enqueued {
        Names.requireText("topic", topic);
        Names.nonNegative("partition", partition);
        Names.nonNegative("offset", offset);
        Names.required("node", node);
        Names.required("part", part);
        targets = List.copyOf(Names.required("targets", targets));
        Names.nonNegative("bytes", bytes);
        Names.nonNegative("enqueuedAt", enqueuedAt);
    }

    public static Enqueued of(String topic, int partition, long offset, EnqueueRecord record) {
        return new Enqueued(topic, partition, offset, record.node(), record.part(), record.targets(), record.bytes(),
            record.enqueuedAt());
    }

    public Position position() {
        return new Position(topic, partition, offset);
    }
}
