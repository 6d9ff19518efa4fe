package dev.handoff.topology;

import dev.handoff.protocol.Release;
import dev.handoff.topology.state.ReleaseTracking;
import dev.handoff.topology.state.TrackerEntry;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects, per bundle, which of its targets have completed it and emits one {@link Release}
 * (keyed by liaison) when all have; the entry is deleted in the same transaction, so the store
 * holds only bundles still partly pending. Confined to its stream thread.
 */
final class ReleaseTrackerProcessor implements Processor<String, ReleaseTracking, String, Release> {
    private static final Logger LOGGER = LoggerFactory.getLogger(ReleaseTrackerProcessor.class);

    private final TopologyMetrics metrics;
    private ProcessorContext<String, Release> context;
    private KeyValueStore<String, TrackerEntry> tracker;

    ReleaseTrackerProcessor(TopologyMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Release> context) {
        this.context = context;
        this.tracker = context.getStateStore(HandoffTopology.RELEASE_TRACKER_STORE);
    }

    @Override
    public void process(Record<String, ReleaseTracking> record) {
        ReleaseTracking t = record.value();
        String key = t.part().toString();
        TrackerEntry before = tracker.get(key);
        TrackerEntry after = (before == null ? TrackerEntry.empty(t.part()) : before).with(t);
        if (!after.allCompleted()) {
            tracker.put(key, after);
            return;
        }
        tracker.delete(key);
        metrics.released();
        LOGGER.atInfo().addKeyValue("part", key).addKeyValue("targets", after.targets()).log("bundle released");
        context.forward(record.withKey(t.part().liaison()).withValue(new Release(t.part().liaison(), t.part())));
    }
}
