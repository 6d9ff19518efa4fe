package dev.handoff.benchmarks;

import dev.handoff.protocol.common.Daemons;
import dev.handoff.protocol.common.KafkaSettings;
import dev.handoff.replayer.Replayer;
import dev.handoff.replayer.ReplayerSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A replayer in its own JVM (drain-large runs it with {@code -Xmx256m}): prints {@code ready} once it is a
 * polling group member, runs until stdin says {@code stop} (or closes), then prints {@code busiest <threads>}: its
 * busiest threads since stdin last said {@code mark} (the drain's start), each with its share of a core; and
 * {@code heap-peak <bytes>}: the largest heap in use (garbage included) sampled every 10 ms.
 * Arguments: bootstrap servers, topic prefix, group id, instance id.
 */
public final class ReplayerChild {
    /** How many of its busiest threads the child names. */
    static final int BUSIEST = 3;

    private ReplayerChild() {
    }

    public static void main(String[] args) throws Exception {
        AtomicLong peak = new AtomicLong();
        Thread sampler = Daemons.factory("heap-sampler").newThread(() -> {
            while (true) {
                peak.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
                java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
            }
        });
        sampler.start();
        ReplayerSettings settings = ReplayerSettings.builder(KafkaSettings.of(args[0])).topicPrefix(args[1])
            .groupId(args[2]).instanceId(args[3]).build();
        try (Replayer replayer = new Replayer(settings, new SimpleMeterRegistry(), Clock.systemUTC())) {
            replayer.start();
            while (!replayer.isReady()) {
                java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
            }
            System.out.println("ready");
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            ThreadCpu threads = ThreadCpu.start();
            String line;
            while ((line = in.readLine()) != null && !line.equals("stop")) {
                if (line.equals("mark")) {
                    threads = ThreadCpu.start();
                }
            }
            System.out.println("busiest " + threads.busiest(BUSIEST));
            System.out.flush();
        }
        System.out.println("heap-peak " + peak.get());
        System.out.flush();
    }
}
