package dev.handoff.replayer.internals;

import dev.handoff.protocol.common.KafkaSettings;
import dev.handoff.replayer.Replayer;
import dev.handoff.replayer.ReplayerSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A replayer in its own JVM, for tests that kill it with SIGKILL:
 * {@code ReplayerProcessMain <bootstrap> <topicPrefix> <groupId> <instanceId> <chunkSize>}. Runs until killed.
 */
public final class ReplayerProcessMain {
    private ReplayerProcessMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        // A killed member must leave the group quickly for the restarted one to get its partitions.
        KafkaSettings kafka = new KafkaSettings(args[0], Map.of("session.timeout.ms", "6000", "heartbeat.interval.ms", "1000"));
        ReplayerSettings settings = ReplayerSettings.builder(kafka).topicPrefix(args[1]).groupId(args[2]).instanceId(args[3])
            .chunkSize(Integer.parseInt(args[4])).backoff(Duration.ofMillis(200), Duration.ofSeconds(1))
            .logStartAdvanceInterval(Duration.ofMillis(500)).build();
        Replayer replayer = new Replayer(settings, new SimpleMeterRegistry(), Clock.systemUTC());
        replayer.start();
        new CountDownLatch(1).await();
    }
}
