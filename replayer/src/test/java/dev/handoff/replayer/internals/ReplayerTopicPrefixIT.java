package dev.handoff.replayer.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handoff.replayer.Replayer;
import dev.handoff.replayer.ReplayerSettings;
import dev.handoff.testkit.SharedKafkaTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A replayer pointed at a topic prefix nobody created stops with one clear line instead of idling, ready. */
class ReplayerTopicPrefixIT extends SharedKafkaTest {
    @Test
    void shouldStopWithOneLineNamingTheMissingTopicAndThePrefixWhenThePrefixHasNoTopics() throws Exception {
        // Given a broker whose fixed topics exist under one prefix, and a replayer configured with a misspelt one
        try (KafkaFixture fx = new KafkaFixture(KAFKA.bootstrapServers())) {
            String typo = fx.topics.prefix() + "-typo";
            ReplayerSettings settings = fx.settings("r1").topicPrefix(typo).commitTimeout(Duration.ofSeconds(3)).build();

            // When it starts
            try (Replayer replayer = new Replayer(settings, new SimpleMeterRegistry(), Clock.systemUTC())) {
                replayer.start();

                // Then within the wait it stops for good, naming the topic and the option, and is not ready
                await().atMost(Duration.ofSeconds(30)).until(() -> replayer.failure().isPresent());
                assertThat(replayer.failure().orElseThrow())
                    .contains(typo + ".completions does not exist")
                    .contains("--topic-prefix " + typo)
                    .contains("handoff init --topic-prefix " + typo);
                assertThat(replayer.isReady()).isFalse();
            }

            // And with the right prefix the same replayer settings run without a failure
            try (Replayer replayer = new Replayer(fx.settings("r2").commitTimeout(Duration.ofSeconds(3)).build(),
                new SimpleMeterRegistry(), Clock.systemUTC())) {
                replayer.start();
                await().atMost(Duration.ofSeconds(30)).until(replayer::isReady);
                // past its 3 s wait for the completions topic, and it stays without a failure throughout
                await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6))
                    .until(() -> replayer.failure().isEmpty());
            }
        }
    }
}
