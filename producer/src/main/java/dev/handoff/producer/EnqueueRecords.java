package dev.handoff.producer;

import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.PartTypeEntry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a stored bundle's enqueue records say: the source replayers fetch it from and when it expires. Stateless
 * apart from its settings: safe to use from any thread.
 */
final class EnqueueRecords {
    private final Supplier<String> source;
    private final Clock clock;
    /** Null: records carry {@code expiresAt: null}. */
    private final Duration maxAge;

    EnqueueRecords(Supplier<String> source, Clock clock, Duration maxAge) {
        this.source = source;
        this.clock = clock;
        this.maxAge = maxAge;
    }

    /** One record for each target of {@code m} not marked published. */
    List<EnqueueRecord> unpublished(Manifest m) {
        List<EnqueueRecord> records = new ArrayList<>();
        String src = source.get();
        for (Manifest.Target t : m.targets()) {
            if (!t.published()) {
                records.add(record(m.part(), m.types(), m.targetNodes(), t.node(), src, t.enqueuedAt()));
            }
        }
        return records;
    }

    /** The largest record the bundle will have: the longest target's, checked before anything is stored. */
    EnqueueRecord largest(PartKey part, List<PartTypeEntry> types, List<String> targets) {
        String longest = targets.stream().max(Comparator.comparingInt(String::length)).orElseThrow();
        return record(part, types, targets, longest, source.get(), clock.millis());
    }

    private EnqueueRecord record(PartKey part, List<PartTypeEntry> types, List<String> targets, String node, String src,
                                 long enqueuedAt) {
        long bytes = types.stream().mapToLong(PartTypeEntry::bytes).sum();
        Long expiresAt = maxAge == null ? null : enqueuedAt + maxAge.toMillis();
        return new EnqueueRecord(node, targets, part.liaison(), src, part.group(), part.shard(), part.partId(), types, bytes,
            enqueuedAt, expiresAt);
    }
}
