package dev.handoff.producer;

import static java.util.Objects.requireNonNullElse;

import dev.handoff.protocol.Names;
import dev.handoff.protocol.Topics;
import java.time.Duration;

/**
 * The periodic comparison of the store with Kafka ({@link StoreCheck}, file sizes only) behind the
 * {@code handoff.store.check.*} gauges.
 *
 * @param interval        {@code --store-check-interval}: how often it runs; null for never. Default 1 h.
 * @param replayerGroupId {@code --replayer-group-id}: the replayers' consumer group, whose committed offsets say which
 *                        records are pending; null for {@value #DEFAULT_REPLAYER_GROUP_ID}
 */
public record StoreCheckSettings(Duration interval, String replayerGroupId) {
    public static final Duration DEFAULT_INTERVAL = Duration.ofHours(1);
    public static final String DEFAULT_REPLAYER_GROUP_ID = Topics.DEFAULT_REPLAYER_GROUP_ID;

    public StoreCheckSettings {
        if (interval != null) {
            Names.positive("storeCheckInterval", interval);
        }
        replayerGroupId = Names.requireName("replayerGroupId", requireNonNullElse(replayerGroupId, DEFAULT_REPLAYER_GROUP_ID));
    }
}
