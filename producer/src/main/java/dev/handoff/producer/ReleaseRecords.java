package dev.handoff.producer;

import dev.handoff.protocol.Completion;
import dev.handoff.protocol.InvalidRecordException;
import dev.handoff.protocol.Release;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.json.Codecs;
import java.util.EnumSet;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the garbage collector's input: a release of one of this liaison's bundles, or a final completion of one of
 * its targets, each as the manifest change it asks for. Anything else (another liaison's, a PARKED completion, an
 * unreadable record) asks for none. Used by the collector's thread only.
 */
final class ReleaseRecords {
    private static final Logger LOGGER = LoggerFactory.getLogger(ReleaseCollector.class);
    /** Completions after which no node needs the stored files again (PARKED may be re-driven). */
    static final Set<Completion.Outcome> FINAL = EnumSet.of(Completion.Outcome.DELIVERED, Completion.Outcome.DUPLICATE,
        Completion.Outcome.TRUNCATED, Completion.Outcome.EXPIRED);

    private final String liaison;
    private final Topics topics;
    private final BundleStore store;
    private final ProducerMetrics metrics;

    /** The configuration of the collector's consumer: group {@code handoff-producer-<liaison>}. */
    static java.util.Map<String, Object> consumerConfig(ProducerSettings settings) {
        return settings.kafka().consumer(groupOf(settings.liaison()), "handoff-producer-gc-" + settings.liaison());
    }

    /** The garbage-collection consumer group of {@code liaison}'s producer. */
    static String groupOf(String liaison) {
        return "handoff-producer-" + liaison;
    }

    ReleaseRecords(String liaison, Topics topics, BundleStore store, ProducerMetrics metrics) {
        this.liaison = liaison;
        this.topics = topics;
        this.store = store;
        this.metrics = metrics;
    }

    /** Counts an expiry the first time it reaches a stored bundle's target (a redelivered completion counts once). */
    private void expired(Completion c) {
        store.get(c.part()).filter(m -> m.targetNodes().contains(c.node()) && !m.completed().contains(c.node()))
            .ifPresent(m -> metrics.expired());
    }

    /** The change one record asks for, or null when it is not this liaison's or cannot be read (skipped). */
    ManifestChanges.Change decode(ConsumerRecord<String, byte[]> r) {
        try {
            if (r.topic().equals(topics.released())) {
                if (liaison.equals(r.key())) {
                    Release release = Codecs.RELEASE.decode(r.value());
                    if (liaison.equals(release.liaison())) {
                        return new ManifestChanges.Change(release.part(), Manifest::withReleased, "released");
                    }
                }
            } else {
                Completion c = Codecs.COMPLETION.decode(r.value());
                if (liaison.equals(c.part().liaison()) && c.outcome() == Completion.Outcome.RETARGETED) {
                    // The new node's record was enqueued in the transaction that wrote this completion, at its time.
                    return new ManifestChanges.Change(c.part(), m -> m.withRetargeted(c.node(), c.retargetedTo(), c.at()),
                        "retargeted from " + c.node() + " to " + c.retargetedTo());
                }
                if (liaison.equals(c.part().liaison()) && FINAL.contains(c.outcome())) {
                    if (c.outcome() == Completion.Outcome.EXPIRED) {
                        expired(c);
                    }
                    // Recorded for a node that is not a target yet too: a retarget's new node can complete before the
                    // RETARGETED completion (on the old node's partition) makes it one.
                    return new ManifestChanges.Change(c.part(), m -> !m.completed().contains(c.node())
                        ? m.withCompleted(c.node()) : m, "completed by " + c.node());
                }
            }
        } catch (InvalidRecordException e) {
            LOGGER.atWarn().addKeyValue("topic", r.topic()).addKeyValue("offset", r.offset())
                .addKeyValue("reason", e.getMessage()).log("skipping an unreadable record");
        }
        return null;
    }
}
