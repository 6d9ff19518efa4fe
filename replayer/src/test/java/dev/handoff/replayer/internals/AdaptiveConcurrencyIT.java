package dev.handoff.replayer.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handoff.datanode.DataNode;
import dev.handoff.datanode.DataNodeSettings;
import dev.handoff.protocol.PartKey;
import dev.handoff.replayer.Replayer;
import dev.handoff.testkit.SharedKafkaTest;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adaptive per-node concurrency against a receiver that thrashes above 4 concurrent sessions (Scylla's live-lock,
 * scylladb#7886): the adaptive replayer settles near 4 and delivers everything with few timeouts, where a fixed 16
 * times out every session, round after round; on the healthy reference data node it grows well beyond that. Real
 * broker, real gRPC on localhost; the numbers it logs are in docs/REPLAYER.md.
 */
class AdaptiveConcurrencyIT extends SharedKafkaTest {
    private static final Logger LOGGER = LoggerFactory.getLogger(AdaptiveConcurrencyIT.class);
    private static final int BUNDLES = 120;
    private static final int CAPACITY = 4;
    private static final long WORK_MILLIS = 40;

    private ReplayRig rig;
    private OverloadedReceiver receiver;

    @BeforeEach
    void setUp() throws Exception {
        rig = new ReplayRig(KAFKA, tmp);
        receiver = new OverloadedReceiver(CAPACITY, WORK_MILLIS);
        rig.kafka.nodeTopic(receiver.address(), 1);
        rig.enqueueBundles(receiver.address(), 0, BUNDLES, 1, i -> new PartKey("liaison-1", "g", 0, 5000 + i));
    }

    @AfterEach
    void tearDown() {
        receiver.close();
        rig.close();
    }

    private Replayer replayer(boolean adaptive, SimpleMeterRegistry registry) {
        return new Replayer(rig.kafka.settings("r1").maxInFlightPerNode(16).adaptiveConcurrency(adaptive)
            .sessionTimeout(Duration.ofSeconds(1)).build(), registry, Clock.systemUTC());
    }

    @Test
    void shouldSettleNearTheReceiversCapacityWithoutATimeoutStorm() {
        // Given a replayer adapting between 1 and 16 in flight, and 120 bundles for the overloaded receiver
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<Double> limits = new ArrayList<>();
        long start = System.nanoTime();
        try (Replayer replayer = replayer(true, registry)) {
            // When it replays the backlog
            replayer.start();

            // Then every bundle is applied
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).until(() -> {
                Gauge g = registry.find("handoff.replay.concurrency.limit").tag("node", receiver.address()).gauge();
                if (g != null) {
                    limits.add(g.value());
                }
                return receiver.applied() == BUNDLES;
            });
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double settled = limits.subList(limits.size() / 2, limits.size()).stream().mapToDouble(Double::doubleValue)
            .average().orElse(Double.NaN);
        LOGGER.atInfo().addKeyValue("bundles", BUNDLES).addKeyValue("seconds", String.format("%.1f", seconds))
            .addKeyValue("timeouts", receiver.cancelled()).addKeyValue("maxConcurrent", receiver.maxOpen())
            .addKeyValue("settledLimit", String.format("%.2f", settled)).log("adaptive concurrency on the overloaded receiver");
        // And the limit settled near the receiver's capacity, with no storm of timed-out sessions
        assertThat(settled).as("mean limit over the second half of the replay").isBetween(2.5, 6.0);
        assertThat(receiver.cancelled()).as("sessions that timed out").isLessThanOrEqualTo(BUNDLES / 10);
        assertThat(receiver.maxOpen()).as("most concurrent sessions the receiver saw").isLessThanOrEqualTo(8);
    }

    @Test
    void shouldGrowTowardsTheMaximumOnAHealthyDataNode() throws Exception {
        // Given the reference data node (fsync per bundle) and 300 bundles for it, replayed adaptively
        Healthy adaptive = replayToHealthyNode("adaptive", true);
        // And the same with a fixed 16, for comparison
        Healthy fixed = replayToHealthyNode("fixed", false);
        LOGGER.atInfo().addKeyValue("bundles", 300).addKeyValue("adaptiveSeconds", String.format("%.1f", adaptive.seconds()))
            .addKeyValue("adaptiveMaxLimit", adaptive.maxLimit())
            .addKeyValue("adaptiveSettledLimit", String.format("%.2f", adaptive.settledLimit()))
            .addKeyValue("fixedSeconds", String.format("%.1f", fixed.seconds()))
            .log("adaptive concurrency on a healthy data node");
        // Then the adaptive limit grew well beyond the overloaded receiver's capacity
        assertThat(adaptive.maxLimit()).isGreaterThanOrEqualTo(8);
    }

    private record Healthy(double seconds, double maxLimit, double settledLimit) {
    }

    private Healthy replayToHealthyNode(String name, boolean adaptive) throws Exception {
        try (DataNode healthy = new DataNode(DataNodeSettings.builder(tmp.resolve(name)).listen("localhost", 0).build()).start()) {
            rig.kafka.nodeTopic(healthy.address(), 1);
            rig.enqueueBundles(healthy.address(), 0, 300, 1, i -> new PartKey("liaison-1", name, 0, 9000 + i));
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            List<Double> limits = new ArrayList<>();
            long start = System.nanoTime();
            try (Replayer replayer = new Replayer(rig.kafka.settings("r-" + name).maxInFlightPerNode(16)
                .adaptiveConcurrency(adaptive).build(), registry, Clock.systemUTC())) {
                replayer.start();
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).until(() -> {
                    Gauge g = registry.find("handoff.replay.concurrency.limit").tag("node", healthy.address()).gauge();
                    if (g != null) {
                        limits.add(g.value());
                    }
                    return healthy.totalApplied() == 300;
                });
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double max = limits.stream().mapToDouble(Double::doubleValue).max().orElse(0);
            double settled = limits.subList(limits.size() / 2, limits.size()).stream().mapToDouble(Double::doubleValue)
                .average().orElse(Double.NaN);
            return new Healthy(seconds, max, settled);
        }
    }

    @Test
    void shouldKeepTimingOutWithAFixedSixteen() {
        // Given a replayer with a fixed 16 in flight, and the same backlog for the same receiver
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Replayer replayer = replayer(false, registry)) {
            // When it replays for 15 s
            replayer.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> receiver.cancelled() >= 16);
            await().pollDelay(Duration.ofSeconds(15)).atMost(Duration.ofSeconds(16)).until(() -> true);
        }
        LOGGER.atInfo().addKeyValue("bundles", BUNDLES).addKeyValue("seconds", 15).addKeyValue("applied", receiver.applied())
            .addKeyValue("timeouts", receiver.cancelled()).addKeyValue("maxConcurrent", receiver.maxOpen())
            .log("fixed concurrency 16 on the overloaded receiver");
        // Then round after round of sessions timed out, and most of the backlog is still not applied
        assertThat(receiver.cancelled()).as("sessions that timed out").isGreaterThanOrEqualTo(3 * 16);
        assertThat(receiver.applied()).as("bundles applied").isLessThan(BUNDLES / 2);
    }
}
