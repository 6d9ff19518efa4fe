package dev.handoff.producer;

import static java.util.Objects.requireNonNullElse;

import dev.handoff.protocol.Names;
import dev.handoff.protocol.common.TopicAdmin.TopicSettings;
import java.time.Duration;

/**
 * How enqueue records reach Kafka: the topics the producer creates, how long a publish may take, how often a
 * failed one is retried, and when a record expires.
 *
 * @param timeout           {@code --publish-timeout}: how long an enqueue waits for Kafka to acknowledge its records,
 *                          topic creation and metadata included; also bounds each send's wait for metadata or buffer
 *                          space ({@code max.block.ms}). A producer client that leaves a publish unacknowledged this
 *                          long is replaced. Null for 60 s.
 * @param republishInterval {@code --republish-interval}: how often the running producer publishes again the bundles
 *                          whose publish failed; null for 5 s
 * @param maxAge            {@code --max-age}: records get {@code expiresAt = enqueuedAt + maxAge}, and a record past
 *                          it is completed as EXPIRED without delivery; null, the default, for no expiry
 * @param nodeTopics        the node topics this producer creates on first use; null for {@link TopicSettings#single()}
 *                          (1 partition, RF 1, broker's min ISR). The CLI gives {@code --partitions},
 *                          {@code --replication-factor}, {@code --min-insync-replicas} to both this and
 *                          {@code fixedTopics}.
 * @param fixedTopics       used when the fixed topics this role reads and writes ({@code health}, {@code released},
 *                          {@code completions}) do not exist yet; null for {@link TopicSettings#single()}
 */
public record PublishSettings(Duration timeout, Duration republishInterval, Duration maxAge, TopicSettings nodeTopics,
                              TopicSettings fixedTopics) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_REPUBLISH_INTERVAL = Duration.ofSeconds(5);
    /** No expiry: records carry {@code expiresAt: null}. */
    public static final Duration DEFAULT_MAX_AGE = null;

    public PublishSettings {
        timeout = Names.positive("publishTimeout", requireNonNullElse(timeout, DEFAULT_TIMEOUT));
        republishInterval = Names.positive("republishInterval",
            requireNonNullElse(republishInterval, DEFAULT_REPUBLISH_INTERVAL));
        if (maxAge != null) {
            Names.positive("maxAge", maxAge);
        }
        nodeTopics = requireNonNullElse(nodeTopics, TopicSettings.single());
        fixedTopics = requireNonNullElse(fixedTopics, TopicSettings.single());
    }
}
