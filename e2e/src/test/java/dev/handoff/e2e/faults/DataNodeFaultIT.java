package dev.handoff.e2e.faults;

import dev.handoff.testkit.ChildJvm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handoff.datanode.DataNode;
import dev.handoff.datanode.DataNodeSettings;
import dev.handoff.producer.HandoffProducer;
import dev.handoff.testkit.KafkaClusterExtension;
import io.micrometer.core.instrument.Counter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 3: a data node JVM killed mid-session, and a data node that flaps down/up every 2 s
 * ({@code -Dfaults.flap.seconds}: 20 by default, 60 under {@code -Psoak}).
 */
class DataNodeFaultIT {
    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.shared();
    private static final int FLAP_SECONDS = Integer.getInteger("faults.flap.seconds", 20);

    @TempDir
    Path tmp;

    @Test
    void shouldDeliverEveryPartOnceWhenTheDataNodeIsKilledMidSession() throws Exception {
        long started = System.nanoTime();
        try (Stack stack = new Stack(KAFKA.bootstrapServers(), tmp)) {
            // Given a slow data node in its own JVM, the topology, a producer, a replayer and 40 bundles
            int port = Stack.freePort();
            String address = "localhost:" + port;
            ChildJvm first = stack.childDataNode("node-1", port, Duration.ofMillis(300));
            await().atMost(Duration.ofSeconds(30)).until(() -> first.printed("READY"));
            stack.topology();
            HandoffProducer producer = stack.producer(0, List.of(address), b -> b);
            stack.replayer("r1", b -> b.maxPartsPerSec(8));
            Ledger ledger = stack.ledger();
            for (long id = 1; id <= 40; id++) {
                Parts.Written w = Parts.write(stack.source(), id, 32 * 1024);
                producer.enqueue(w.bundle(), List.of(address));
                ledger.expect(w, address);
            }

            // When the data node JVM is killed with SIGKILL while sessions stream into it
            Path appliedLog = tmp.resolve("node-1").resolve("applied.log");
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
            try (DataNode oracle = new DataNode(DataNodeSettings.forTests(tmp.resolve("node-1"))).start()) {
                long seconds = (System.nanoTime() - started) / 1_000_000_000L;
                ledger.check(Map.of(address, oracle)).report("datanode-kill",
                    "appliedAtKill=" + appliedAtKill + " retries=" + (long) retries + " seconds=" + seconds);
            }
            assertThat(appliedAtKill).as("applied when the data node was killed").isLessThan(40);
            // And the replayer backed off instead of storming the dead address
            assertThat(retries).as("replayer retries after one kill").isLessThanOrEqualTo(60);
        }
    }

    @Test
    void shouldDeliverEveryPartOnceAndBackOffWhenTheDataNodeFlaps() throws Exception {
        long started = System.nanoTime();
        ScheduledExecutorService flapper = Executors.newSingleThreadScheduledExecutor();
        try (Stack stack = new Stack(KAFKA.bootstrapServers(), tmp)) {
            // Given a data node, the topology, a producer and a replayer limited to 3 bundles/s, so that
            // delivery spans the whole flapping period
            int port = Stack.freePort();
            String address = "localhost:" + port;
            DataNodeSettings nodeSettings = DataNodeSettings.forTests(tmp.resolve("node-1")).withListen("localhost", port)
                .withTestLatencyPerSession(Duration.ofMillis(100));
            stack.nodeTopic(address);
            AtomicReference<DataNode> node = new AtomicReference<>(new DataNode(nodeSettings, stack.registry).start());
            stack.topology();
            HandoffProducer producer = stack.producer(0, List.of(address), b -> b);
            stack.replayer("r1", b -> b.maxPartsPerSec(3));
            Ledger ledger = stack.ledger();
            int count = FLAP_SECONDS * 3;
            for (long id = 1; id <= count; id++) {
                Parts.Written w = Parts.write(stack.source(), id, 8 * 1024);
                producer.enqueue(w.bundle(), List.of(address));
                ledger.expect(w, address);
            }

            // When the data node goes down and up every 2 s for FLAP_SECONDS
            int flips = FLAP_SECONDS / 2;
            AtomicInteger downs = new AtomicInteger();
            CountDownLatch flapped = new CountDownLatch(flips);
            flapper.scheduleAtFixedRate(() -> {
                try {
                    if (flapped.getCount() == 0) {
                        return;
                    }
                    if (node.get().isReady()) {
                        node.get().close();
                        downs.incrementAndGet();
                    } else {
                        node.set(new DataNode(nodeSettings, stack.registry).start());
                    }
                } catch (Exception e) {
                    System.out.println("faults: flap failed: " + e);
                }
                flapped.countDown();
            }, 2, 2, TimeUnit.SECONDS);
            assertThat(flapped.await(FLAP_SECONDS + 30L, TimeUnit.SECONDS)).as("flapping finished").isTrue();
            flapper.shutdown();
            assertThat(flapper.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            if (!node.get().isReady()) {
                node.set(new DataNode(nodeSettings, stack.registry).start());
            }
            long appliedWhileFlapping = node.get().totalApplied();
            ledger.awaitDrained(Map.of(address, node.get()), Duration.ofSeconds(120));

            // Then every part was applied once, and retries stayed far below a storm
            double retries = retries(stack);
            double sessions = stack.registry.find("handoff.datanode.sessions").counters().stream()
                .mapToDouble(Counter::count).sum();
            long seconds = (System.nanoTime() - started) / 1_000_000_000L;
            try (DataNode last = node.get()) {
                ledger.check(Map.of(address, last)).report("datanode-flap", "flapSeconds=" + FLAP_SECONDS + " downs="
                    + downs.get() + " appliedWhileFlapping=" + appliedWhileFlapping + " retries=" + (long) retries
                    + " sessions=" + (long) sessions + " seconds=" + seconds);
            }
            assertThat(appliedWhileFlapping).as("parts applied while the node flapped").isPositive();
            // a retry storm (no backoff) fails thousands of times in one 2 s outage; backoff starts at 200 ms
            assertThat(retries).as("replayer retries over %d outages", downs.get()).isLessThanOrEqualTo(20.0 * downs.get());
            assertThat(sessions).as("data node sessions for %d parts", count).isLessThanOrEqualTo(count + 20.0 * downs.get());
        } finally {
            flapper.shutdownNow();
        }
    }

    private static double retries(Stack stack) {
        return stack.registry.find("handoff.replay.retries").counters().stream().mapToDouble(Counter::count).sum();
    }
}
