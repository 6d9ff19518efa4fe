package dev.handoff.replayer.internals;

import dev.handoff.replayer.ReplayerSettings;
import java.time.Clock;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The start-up check that {@code <prefix>.completions}, which every completion is written to, exists. */
final class CompletionsTopic {
    private static final Logger LOGGER = LoggerFactory.getLogger(CompletionsTopic.class);

    private CompletionsTopic() {
    }

    /**
     * Waits for the completions topic up to {@code --commit-timeout} (a topology or {@code handoff init} may be
     * creating it right now). When it does not come, the prefix is wrong or the topics were never created: the
     * replayer stops with that one line (exit 1), rather than idle, ready, on a pattern that matches nothing.
     *
     * @return null when the topic exists (or {@code running} turned false), else why the replayer stops
     */
    static String awaitExists(Consumer<?, ?> consumer, ReplayerSettings settings, Clock clock, BooleanSupplier running)
        throws InterruptedException {
        String topic = settings.topics().completions();
        long deadline = clock.millis() + settings.commitTimeout().toMillis();
        while (running.getAsBoolean()) {
            try {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, settings.commitTimeout());
                if (infos != null && !infos.isEmpty()) {
                    return null;
                }
            } catch (UnknownTopicOrPartitionException e) {
                LOGGER.atDebug().addKeyValue("topic", topic).log("completions topic not there yet");
            }
            if (clock.millis() >= deadline) {
                String failure = "replayer: topic " + topic + " does not exist (waited " + settings.commitTimeout().toSeconds()
                    + " s): is --topic-prefix " + settings.topicPrefix() + " right? `handoff init --topic-prefix "
                    + settings.topicPrefix() + "` creates the topics";
                LOGGER.atError().addKeyValue("topic", topic).log(failure);
                return failure;
            }
            Thread.sleep(500);
        }
        return null;
    }
}
