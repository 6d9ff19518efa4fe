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

/**
 * The contents of one transaction: completions, the records they produce (parked copies, retarget copies) and the
 * offsets that cover them.
 */
record Batch(List<Completion> completions, List<ProducerRecord<String, byte[]>> produced,
             Map<TopicPartition, OffsetAndMetadata> offsets) {
    boolean isEmpty() {
        return offsets.isEmpty();
    }

    /** This batch, then {@code later} (drained after it: its offsets are the higher ones). */
    Batch followedBy(Batch later) {
        List<Completion> c = new ArrayList<>(completions);
        c.addAll(later.completions);
        List<ProducerRecord<String, byte[]>> p = new ArrayList<>(produced);
        p.addAll(later.produced);
        Map<TopicPartition, OffsetAndMetadata> o = new HashMap<>(offsets);
        o.putAll(later.offsets);
        return new Batch(c, p, o);
    }

    /** The batch of one partition's committable prefix: its completions and produced records, and the offset past it. */
    static Batch of(TopicPartition partition, OffsetTracker.Committable<Done> prefix) {
        List<Completion> completions = new ArrayList<>();
        List<ProducerRecord<String, byte[]>> produced = new ArrayList<>();
        for (Done d : prefix.results()) {
            if (d.completion() != null) {
                completions.add(d.completion());
            }
            if (d.produced() != null) {
                produced.add(d.produced());
            }
        }
        return new Batch(completions, produced, Map.of(partition, new OffsetAndMetadata(prefix.nextOffset())));
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
