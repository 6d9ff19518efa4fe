package dev.handoff.replayer.internals;

import dev.handoff.protocol.Completion;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/** The contents of one transaction: completions, parked records and the offsets that cover them. */
record Batch(List<Completion> completions, List<ProducerRecord<String, byte[]>> parked,
             Map<TopicPartition, OffsetAndMetadata> offsets) {
    boolean isEmpty() {
        return offsets.isEmpty();
    }

    /** This batch, then {@code later} (drained after it: its offsets are the higher ones). */
    Batch followedBy(Batch later) {
        List<Completion> c = new ArrayList<>(completions);
        c.addAll(later.completions);
        List<ProducerRecord<String, byte[]>> p = new ArrayList<>(parked);
        p.addAll(later.parked);
        Map<TopicPartition, OffsetAndMetadata> o = new HashMap<>(offsets);
        o.putAll(later.offsets);
        return new Batch(c, p, o);
    }

    /** One batch of all of {@code parts} (each of its own partitions). */
    static Batch of(Collection<Batch> parts) {
        Batch out = new Batch(List.of(), List.of(), Map.of());
        for (Batch b : parts) {
            out = out.followedBy(b);
        }
        return out;
    }
}
