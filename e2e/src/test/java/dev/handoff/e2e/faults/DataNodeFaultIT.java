package dev.handoff.e2e.faults;

import dev.handoff.testkit.ChildJvm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handoff.datanode.DataNode;
import dev.handoff.datanode.DataNodeSettings;
import dev.handoff.producer.HandoffProducer;
import dev.handoff.protocol.Completion;
import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Scenario 3: a data node JVM killed mid-session, and a data node that flaps down/up every 2 s, by {@code close()}
 * and by SIGKILL of its JVM ({@code -Dfaults.flap.seconds}: 20 by default, 60 under {@code -Psoak}).
 */
class DataNodeFaultIT extends SharedClusterScenario {
    private static final int FLAP_SECONDS = Integer.getInteger("faults.flap.seconds", 20);

    @Test
    void shouldDeliverEveryPartOnceWhenTheDataNodeIsKilledMidSession(Stack stack) throws Exception {
        // Given a slow data node in its own JVM, the topology, a producer, a replayer and 40 bundles
        int port = Stack.freePort();
        String address = "localhost:" + port;
        ChildJvm first = stack.readyChildDataNode("node-1", port, Duration.ofMillis(300));
        stack.topology();
        HandoffProducer producer = stack.producer(0, List.of(address), b -> b);
        stack.replayer("r1", b -> b.maxPartsPerSec(8));
        Ledger ledger = stack.ledger();
        Parts.enqueue(stack.source(), producer, ledger, 40, 32 * 1024, address);

        // When the data node JVM is killed with SIGKILL while sessions stream into it
        Path appliedLog = stack.dir.resolve("node-1").resolve("applied.log");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
            .until(() -> Files.exists(appliedLog) && Files.readAllLines(appliedLog).size() >= 8);
        first.kill();
        int appliedAtKill = Files.readAllLines(appliedLog).size();
        // and it comes back on the same address and directory once the replayer has noticed
        await().atMost(Duration.ofSeconds(30)).until(() -> retries(stack) >= 1);
        ChildJvm second = stack.childDataNode("node-1", port, Duration.ofMillis(300));
        ledger.awaitCompletions(Duration.ofSeconds(120));
        second.kill();

        // Then every part was applied once (the node's own applied.log, read by a data node over the same directory)
        double retries = retries(stack);
        try (DataNode oracle = stack.oracle("node-1")) {
            long seconds = stack.seconds();
            ledger.check(Map.of(address, oracle)).report("datanode-kill",
                "appliedAtKill=" + appliedAtKill + " retries=" + (long) retries + " seconds=" + seconds);
        }
        assertThat(appliedAtKill).as("applied when the data node was killed").isLessThan(40);
        // And the replayer backed off instead of storming the dead address
        assertThat(retries).as("replayer retries after one kill").isLessThanOrEqualTo(60);
    }

    /** How a flap takes the data node down: a graceful {@code close()}, or SIGKILL of its JVM. */
    enum Flap { CLOSE, SIGKILL }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Flap.class)
    void shouldDeliverEveryPartOnceAndBackOffWhenTheDataNodeFlaps(Flap how, Stack stack) throws Exception {
        ScheduledExecutorService flapper = Executors.newSingleThreadScheduledExecutor();
        int port = Stack.freePort();
        try (FlappingNode node = how == Flap.CLOSE ? new InProcessNode(stack, port) : new ChildNode(stack, port)) {
            // Given a data node (in-process, or a child JVM for SIGKILL), the topology, a producer and a replayer
            // limited to 3 bundles/s, so that delivery spans the whole flapping period
            String address = "localhost:" + port;
            stack.nodeTopic(address);
            node.up();
            stack.topology();
            HandoffProducer producer = stack.producer(0, List.of(address), b -> b);
            stack.replayer("r1", b -> b.maxPartsPerSec(3));
            Ledger ledger = stack.ledger();
            int count = FLAP_SECONDS * 3;
            Parts.enqueue(stack.source(), producer, ledger, count, 8 * 1024, address);

            // When the data node goes down and comes back on the same address and directory every 2 s for FLAP_SECONDS
            int flips = FLAP_SECONDS / 2;
            AtomicInteger downs = new AtomicInteger();
            AtomicReference<Exception> failure = new AtomicReference<>();
            CountDownLatch flapped = new CountDownLatch(flips);
            flapper.scheduleAtFixedRate(() -> {
                if (flapped.getCount() == 0) {
                    return;
                }
                try {
                    if (node.isUp()) {
                        node.down();
                        downs.incrementAndGet();
                    } else {
                        node.up();
                    }
                    flapped.countDown();
                } catch (Exception e) {
                    // a flap that fails ends the flapping and the test, with its cause
                    failure.set(e);
                    while (flapped.getCount() > 0) {
                        flapped.countDown();
                    }
                }
            }, 2, 2, TimeUnit.SECONDS);
            assertThat(flapped.await(FLAP_SECONDS + 30L, TimeUnit.SECONDS)).as("flapping finished").isTrue();
            flapper.shutdown();
            assertThat(flapper.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            if (failure.get() != null) {
                throw new AssertionError("a flap of the data node failed", failure.get());
            }
            if (!node.isUp()) {
                node.up();
            }
            long appliedWhileFlapping = appliedLines(stack.dir.resolve("node-1"));
            ledger.awaitCompletions(Duration.ofSeconds(120));
            node.down();

            // Then every part was applied once (the node's own applied.log, read by a data node over the same
            // directory), and retries and delivery attempts stayed far below a storm
            double retries = retries(stack);
            long attempts = ledger.completions().stream().mapToLong(Completion::attempts).sum();
            long seconds = stack.seconds();
            try (DataNode oracle = stack.oracle("node-1")) {
                ledger.check(Map.of(address, oracle)).report("datanode-flap-" + how.name().toLowerCase(Locale.ROOT),
                    "flapSeconds=" + FLAP_SECONDS + " downs=" + downs.get() + " appliedWhileFlapping=" + appliedWhileFlapping
                        + " retries=" + (long) retries + " attempts=" + attempts + " seconds=" + seconds);
            }
            assertThat(appliedWhileFlapping).as("parts applied while the node flapped").isPositive();
            // a retry storm (no backoff) fails thousands of times in one 2 s outage; backoff starts at 200 ms
            assertThat(retries).as("replayer retries over %d outages", downs.get()).isLessThanOrEqualTo(20.0 * downs.get());
            assertThat(attempts).as("delivery attempts for %d parts", count).isLessThanOrEqualTo(count + 20L * downs.get());
        } finally {
            flapper.shutdownNow();
        }
    }

    /** Lines of a data node's {@code applied.log}, read as a file (the node may be down or in another JVM). */
    private static long appliedLines(Path dir) throws IOException {
        Path log = dir.resolve("applied.log");
        return Files.exists(log) ? Files.readAllLines(log).size() : 0;
    }

    /** A data node on {@code tmp/node-1} and a fixed port that a flap takes down and brings back. */
    private interface FlappingNode extends AutoCloseable {
        boolean isUp();

        void up() throws Exception;

        void down() throws Exception;

        @Override
        default void close() throws Exception {
            if (isUp()) {
                down();
            }
        }
    }

    /** Down is {@code close()}: sessions end with UNAVAILABLE/CANCELLED, the port closes cleanly. */
    private record InProcessNode(Stack stack, DataNodeSettings settings, AtomicReference<DataNode> node)
        implements FlappingNode {
        InProcessNode(Stack stack, int port) {
            this(stack, DataNodeSettings.builder(stack.dir.resolve("node-1")).listen("localhost", port)
                .testLatencyPerSession(Duration.ofMillis(100)).build(), new AtomicReference<>());
        }

        @Override
        public boolean isUp() {
            return node.get() != null && node.get().isReady();
        }

        @Override
        public void up() throws Exception {
            node.set(new DataNode(settings, stack.registry).start());
        }

        @Override
        public void down() throws Exception {
            node.get().close();
        }
    }

    /** Down is SIGKILL of the data node's JVM: connections reset mid-session, no close, no cleanup of tmp/. */
    private record ChildNode(Stack stack, int port, AtomicReference<ChildJvm> child) implements FlappingNode {
        ChildNode(Stack stack, int port) {
            this(stack, port, new AtomicReference<>());
        }

        @Override
        public boolean isUp() {
            return child.get() != null && child.get().isAlive();
        }

        @Override
        public void up() throws Exception {
            child.set(stack.childDataNode("node-1", port, Duration.ofMillis(100)));
        }

        @Override
        public void down() throws Exception {
            child.get().kill();
            if (child.get().isAlive()) {
                throw new IllegalStateException("data node JVM still alive 30 s after SIGKILL");
            }
        }
    }

    private static double retries(Stack stack) {
        return stack.registry.find("handoff.replay.retries").counters().stream().mapToDouble(Counter::count).sum();
    }
}
