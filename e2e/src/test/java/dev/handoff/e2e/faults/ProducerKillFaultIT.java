package dev.handoff.e2e.faults;

import dev.handoff.testkit.ChildJvm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handoff.datanode.DataNode;
import dev.handoff.producer.HandoffProducer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Scenario 2: the producer's JVM killed between link and publish, and while garbage collection deletes bundles. */
class ProducerKillFaultIT extends SharedClusterScenario {
    @Test
    void shouldDeliverEveryStoredBundleWhenTheProducerIsKilledBetweenLinkAndPublish(Stack stack) throws Exception {
        // Given a data node, the topology, a replayer and a producer JVM on a fixed port
        DataNode node = stack.dataNode("node-1", 0, Duration.ofMillis(50));
        stack.topology();
        stack.replayer("r1");
        int port = Stack.freePort();
        Ledger ledger = stack.ledger();
        List<Parts.Written> parts = Parts.writeAll(stack.source(), 24, 16 * 1024);

        // When two producer JVMs in a row halt after linking a bundle (manifest durable) and before publishing it
        int halts = 0;
        long[][] runs = {{1, 12, 8}, {9, 20, 15}};
        for (long[] run : runs) {
            try (ChildJvm child = stack.childProducer(port, stack.source(), run[0], run[1], run[2], node.address())) {
                assertThat(child.waitFor(120)).as("producer JVM halted (see %s)", child.log()).isEqualTo(RoleMain.HALTED);
                halts++;
                for (long id = run[0]; id < run[2]; id++) {
                    assertThat(child.lines()).contains(String.format("ENQUEUED %016x", id));
                }
                assertThat(child.lines()).doesNotContain(String.format("ENQUEUED %016x", run[2]));
                Path manifest = stack.store().resolve(Stack.LIAISON).resolve(Parts.GROUP)
                    .resolve(Integer.toString((int) (run[2] % 4))).resolve(String.format("%016x", run[2])).resolve("manifest.json");
                assertThat(Files.readString(manifest)).as("manifest of the halted bundle").contains("\"published\":false");
            }
            // every acknowledged bundle, and the halted one whose manifest is durable, must arrive
            for (long id = run[0]; id <= run[2]; id++) {
                ledger.expect(parts.get((int) id - 1), node.address());
            }
        }
        // and a producer restarted on the same store and port republishes, then takes new enqueues
        HandoffProducer producer = stack.producer(port, List.of(node.address()), b -> b);
        Parts.enqueue(producer, ledger, parts.subList(19, 24), node.address());
        ledger.awaitDrained(Map.of(node.address(), node), Duration.ofSeconds(120));

        // Then nothing is lost or applied twice, and the store empties once everything is released
        await().atMost(Duration.ofSeconds(60)).until(() -> producer.usedBytes() == 0);
        long seconds = stack.seconds();
        ledger.check(Map.of(node.address(), node)).report("producer-kill-before-publish",
            "halts=" + halts + " seconds=" + seconds);
    }

    @Test
    void shouldNeverServeAHalfDeletedBundleWhenTheProducerIsKilledDuringGarbageCollection(Stack stack) throws Exception {
        ExecutorService fetchers = Executors.newFixedThreadPool(2);
        try {
            // Given 80 bundles enqueued by a producer JVM, delivered and released while clients keep fetching them
            DataNode node = stack.dataNode("node-1", 0, Duration.ofMillis(100));
            stack.topology();
            int port = Stack.freePort();
            int count = 80;
            Ledger ledger = stack.ledger();
            List<Parts.Written> parts = Parts.writeAll(stack.source(), count, 64 * 1024);
            ChildJvm child = stack.childProducer(port, stack.source(), 1, count + 1, -1, node.address());
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> child.printed("READY"));
            AtomicBoolean fetching = new AtomicBoolean(true);
            Map<FetchProbe.Outcome, AtomicInteger> fetches = new EnumMap<>(FetchProbe.Outcome.class);
            for (FetchProbe.Outcome o : FetchProbe.Outcome.values()) {
                fetches.put(o, new AtomicInteger());
            }
            List<Future<Map<FetchProbe.Outcome, Integer>>> probes = new ArrayList<>();
            // one client walks the bundles from the first enqueued (released first), the other from the last
            probes.add(fetchers.submit(() -> fetchUntilStopped("localhost:" + port, parts, fetching, fetches)));
            List<Parts.Written> reversed = new ArrayList<>(parts);
            java.util.Collections.reverse(reversed);
            probes.add(fetchers.submit(() -> fetchUntilStopped("localhost:" + port, reversed, fetching, fetches)));
            // 10 bundles/s: delivery, release and deletion stretch over seconds, with fetches running throughout
            stack.replayer("r1", b -> b.maxPartsPerSec(10));
            parts.forEach(p -> ledger.expect(p, node.address()));

            // When the producer JVM is killed while garbage collection is deleting released bundles
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> fetches.get(FetchProbe.Outcome.NOT_FOUND).get() >= 3 && fetches.get(FetchProbe.Outcome.WHOLE).get() >= 3
                    && bundlesOnDisk(stack.store()) <= count - 5);
            int leftAtKill = bundlesOnDisk(stack.store());
            child.kill();
            long deletingAtKill = deletingDirs(stack.store());
            fetching.set(false);
            Map<FetchProbe.Outcome, Integer> during = new EnumMap<>(FetchProbe.Outcome.class);
            for (Future<Map<FetchProbe.Outcome, Integer>> p : probes) {
                p.get(60, TimeUnit.SECONDS).forEach((k, v) -> during.merge(k, v, Integer::sum));
            }

            // Then no fetch ever got part of a bundle: the whole of it, NOT_FOUND, or no answer from a dead process
            assertThat(during.getOrDefault(FetchProbe.Outcome.BAD, 0)).as("partial or wrong fetches %s", during).isZero();
            assertThat(during.getOrDefault(FetchProbe.Outcome.WHOLE, 0)).as("whole fetches %s", during).isPositive();
            assertThat(leftAtKill).as("bundles left at the kill").isBetween(1, count - 5);
            assertThat(during.getOrDefault(FetchProbe.Outcome.NOT_FOUND, 0)).as("fetches of deleted bundles %s", during).isPositive();

            // And a producer restarted on the same store finishes interrupted deletions and serves only whole bundles
            HandoffProducer producer = stack.producer(port, List.of(node.address()), b -> b);
            assertThat(deletingDirs(stack.store())).as("interrupted deletions left after restart").isZero();
            Map<FetchProbe.Outcome, Integer> after = new EnumMap<>(FetchProbe.Outcome.class);
            try (FetchProbe probe = new FetchProbe(producer.advertisedAddress())) {
                for (Parts.Written p : parts) {
                    after.merge(probe.fetch(p.key(), p.types()).outcome(), 1, Integer::sum);
                }
            }
            assertThat(after.keySet()).as("fetches after restart %s", after)
                .containsAnyOf(FetchProbe.Outcome.WHOLE, FetchProbe.Outcome.NOT_FOUND)
                .doesNotContain(FetchProbe.Outcome.BAD, FetchProbe.Outcome.UNREACHABLE);

            // And every bundle was delivered once, and the store empties
            ledger.awaitDrained(Map.of(node.address(), node), Duration.ofSeconds(120));
            await().atMost(Duration.ofSeconds(60)).until(() -> producer.usedBytes() == 0 && bundlesOnDisk(stack.store()) == 0);
            long seconds = stack.seconds();
            ledger.check(Map.of(node.address(), node)).report("producer-kill-during-gc",
                "bundlesAtKill=" + leftAtKill + " deletingAtKill=" + deletingAtKill + " fetchesDuring=" + during
                    + " fetchesAfter=" + after + " seconds=" + seconds);
        } finally {
            fetchers.shutdownNow();
        }
    }

    private static Map<FetchProbe.Outcome, Integer> fetchUntilStopped(String address, List<Parts.Written> parts,
                                                                     AtomicBoolean running,
                                                                     Map<FetchProbe.Outcome, AtomicInteger> live) {
        Map<FetchProbe.Outcome, Integer> seen = new EnumMap<>(FetchProbe.Outcome.class);
        try (FetchProbe probe = new FetchProbe(address)) {
            while (running.get()) {
                for (int i = 0; i < parts.size() && running.get(); i++) {
                    FetchProbe.Answer a = probe.fetch(parts.get(i).key(), parts.get(i).types());
                    seen.merge(a.outcome(), 1, Integer::sum);
                    live.get(a.outcome()).incrementAndGet();
                    if (a.outcome() == FetchProbe.Outcome.BAD) {
                        System.out.println("faults: bad fetch of " + parts.get(i).key() + ": " + a.detail());
                    }
                }
            }
        }
        return seen;
    }

    /** Complete bundle directories (16 hex digits) in the store. */
    static int bundlesOnDisk(Path store) throws IOException {
        return (int) storeDirs(store).filter(p -> p.getFileName().toString().matches("[0-9a-f]{16}")).count();
    }

    static long deletingDirs(Path store) throws IOException {
        return storeDirs(store).filter(p -> p.getFileName().toString().endsWith(".deleting")).count();
    }

    private static Stream<Path> storeDirs(Path store) throws IOException {
        Path group = store.resolve(Stack.LIAISON).resolve(Parts.GROUP);
        if (!Files.isDirectory(group)) {
            return Stream.empty();
        }
        List<Path> out = new ArrayList<>();
        try (Stream<Path> shards = Files.list(group)) {
            for (Path shard : shards.toList()) {
                try (Stream<Path> dirs = Files.list(shard)) {
                    out.addAll(dirs.toList());
                }
            }
        }
        return out.stream();
    }

}
