package dev.handoff.e2e.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.handoff.datanode.DataNode;
import dev.handoff.producer.HandoffProducer;
import dev.handoff.producer.StoreIoException;
import dev.handoff.protocol.Completion;
import dev.handoff.protocol.FileEntry;
import dev.handoff.testkit.SharedKafkaTest;
import dev.handoff.testkit.Tmpfs;
import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Scenario 10: a full disk, a real ENOSPC from a small tmpfs (root only; skipped with the reason otherwise): at
 * the data node in the middle of a bundle while a backlog drains, and at the producer's part store below its
 * configured limit.
 */
class DiskFullFaultIT extends SharedKafkaTest {
    private static final long KIB = 1024;
    private static final long MIB = 1024 * KIB;
    private static final long PAGE = 4 * KIB;
    /** Stack's replayer chunk size. */
    private static final long CHUNK = 64 * KIB;

    @Test
    void shouldRetryKeepNothingPartialAndDeliverOnceWhenTheDataNodeDiskFillsMidBundle() throws Exception {
        long started = System.nanoTime();
        int count = 10;
        try (Tmpfs disk = Tmpfs.mount(tmp.resolve("node-1"), 4 * MIB);
             Stack stack = new Stack(KAFKA.bootstrapServers(), tmp)) {
            // Given a data node whose --dir is a 4 MiB tmpfs, the topology, a producer, a replayer streaming one
            // bundle at a time, and a backlog of 10 bundles of 256 KiB (data.bin is 3 chunks)
            int port = Stack.freePort();
            String address = "localhost:" + port;
            DataNode node = stack.dataNode("node-1", port, Duration.ZERO);
            stack.topology();
            HandoffProducer producer = stack.producer(0, List.of(address), b -> b);
            Ledger ledger = stack.ledger();
            List<Parts.Written> parts = Parts.writeAll(stack.source(), count, 256 * (int) KIB);
            // and a filler that leaves room for two bundles, the applied.log's first page and 100 KiB: the third
            // bundle's first chunk fits, its second does not
            Path filler = disk.fill("filler", 2 * pages(parts.get(0)) + PAGE + 100 * KIB);
            stack.replayer("r1", b -> b.maxInFlightPerNode(1));
            Parts.enqueue(producer, ledger, parts, address);

            // When the drain runs out of space in the middle of the third bundle, and of every retry of it
            long fullFrom = System.nanoTime();
            await().atMost(Duration.ofSeconds(60)).until(() -> failedSessions(stack) >= 5);
            long applied = node.totalApplied();
            double retriesWhileFull = retries(stack);
            long midBundleBytes = (long) receivedBytes(stack) - applied * Parts.size(parts.get(0));

            // Then the data node is up and applied only what fit; the failures were retried, nothing parked
            assertThat(node.isReady()).as("data node up on a full disk").isTrue();
            assertThat(applied).as("bundles applied on the full disk").isEqualTo(2);
            assertThat(retriesWhileFull).as("replayer retries on the full disk").isGreaterThanOrEqualTo(5);
            assertThat(ledger.completions()).as("completions while full").extracting(Completion::outcome)
                .doesNotContain(Completion.Outcome.PARKED).hasSizeLessThanOrEqualTo(2);
            // and each failed session had written part of its bundle (a whole first chunk), then kept none of it
            assertThat(midBundleBytes).as("bytes received into bundles never applied").isGreaterThanOrEqualTo(CHUNK);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> entries(disk.dir().resolve("tmp")).isEmpty());
            OnDisk.Visible whileFull = OnDisk.compare(disk.dir().resolve("parts"), stack.source());
            assertThat(whileFull.problems()).as("visible bundles that differ from the liaison's").isEmpty();
            assertThat(whileFull.bundles()).as("visible bundles while full").isEqualTo(2);

            // When space returns
            long fullSeconds = (System.nanoTime() - fullFrom) / 1_000_000_000L;
            Files.delete(filler);
            ledger.awaitDrained(Map.of(address, node), Duration.ofSeconds(120));

            // Then every bundle is delivered once and whole, as its own files show, and no staging dir is left
            OnDisk.Visible after = OnDisk.compare(disk.dir().resolve("parts"), stack.source());
            long seconds = (System.nanoTime() - started) / 1_000_000_000L;
            ledger.check(Map.of(address, node)).report("datanode-disk-full", "appliedWhileFull=" + applied
                + " failedSessions=" + (long) failedSessions(stack) + " retriesWhileFull=" + (long) retriesWhileFull
                + " retries=" + (long) retries(stack) + " midBundleBytes=" + midBundleBytes + " fullSeconds=" + fullSeconds
                + " seconds=" + seconds);
            assertThat(after.problems()).as("visible bundles that differ from the liaison's").isEmpty();
            assertThat(after.bundles()).as("visible bundles").isEqualTo(count);
            assertThat(entries(disk.dir().resolve("tmp"))).as("staging dirs left").isEmpty();
        }
    }

    @Test
    void shouldRefuseNamingTheStoreDirKeepWhatIsStoredAndAcceptAgainWhenTheStoreDiskIsFull() throws Exception {
        long started = System.nanoTime();
        try (Tmpfs disk = Tmpfs.mount(tmp.resolve("liaison-disk"), 2 * MIB);
             Stack stack = new Stack(KAFKA.bootstrapServers(), tmp)) {
            // Given a liaison whose part directories and handoff store share a 2 MiB tmpfs (so bundles are hard
            // links), a store limit of 64 MiB that the disk reaches first, and a data node not yet up
            Path store = disk.dir().resolve("store");
            Path source = Files.createDirectories(disk.dir().resolve("parts"));
            int[] ports = dev.handoff.testkit.FreePorts.take(2);
            int port = ports[0];
            String address = "localhost:" + port;
            int producerPort = ports[1];
            stack.topology();
            stack.replayer("r1");
            HandoffProducer first = stack.producer(store, producerPort, List.of(address), b -> b.storeLimits(64 * MIB, null));
            assertThat(first.limitBytes()).as("configured limit above the disk").isGreaterThan(2 * MIB);
            Ledger ledger = stack.ledger();
            List<Parts.Written> parts = Parts.writeAll(source, 8, 64 * (int) KIB);
            Parts.enqueue(first, ledger, parts.subList(0, 4), address);

            // When the liaison's disk fills up (once the stored bundles' published marks are on it) and the next
            // bundles are enqueued
            await().atMost(Duration.ofSeconds(10)).until(() -> marksWaiting(stack) == 0);
            Path filler = disk.fill("filler", 0);
            List<Parts.Written> refused = parts.subList(4, 8);
            List<String> messages = new ArrayList<>();
            for (Parts.Written w : refused) {
                assertThatThrownBy(() -> first.enqueue(w.bundle(), List.of(address)))
                    .isInstanceOfSatisfying(StoreIoException.class, e -> {
                        messages.add(e.getMessage());
                        assertThat(e.retriable()).as("a full disk is retriable").isTrue();
                    });
            }

            // Then each refusal says the disk is full and names the store dir
            assertThat(messages).hasSize(4).allSatisfy(m -> assertThat(m)
                .contains("disk full", "no space left on device", store.toString()));
            // and nothing of a refused bundle is in the store, the stored ones are whole hard links, none was copied
            assertThat(ProducerKillFaultIT.bundlesOnDisk(store)).as("bundles in the store").isEqualTo(4);
            assertThat(hardLinked(store, source, parts.subList(0, 4))).as("stored files sharing the liaison's inode").isTrue();
            assertThat(copyFallbacks(stack)).as("copies instead of hard links").isZero();

            // When the producer restarts on the full disk
            stack.stop(first);
            HandoffProducer producer = stack.producer(store, producerPort, List.of(address), b -> b.storeLimits(64 * MIB, null));

            // Then it holds exactly the 4 stored bundles, and no leftover of a refused one became visible
            assertThat(producer.usedBytes()).as("stored bytes after restart").isEqualTo(4 * Parts.size(parts.get(0)));
            assertThat(ProducerKillFaultIT.bundlesOnDisk(store)).as("bundles in the store after restart").isEqualTo(4);

            // When the data node comes up while the disk stays full
            DataNode node = stack.dataNode("node-1", port, Duration.ZERO);
            Map<String, DataNode> nodes = Map.of(address, node);
            ledger.awaitDrained(nodes, Duration.ofSeconds(90));
            // Then what was stored is delivered; garbage collection cannot record a release on the full disk yet
            double gcFailuresWhileFull = gcFailures(stack);

            // When space returns and the refused bundles are enqueued again
            Files.delete(filler);
            Parts.enqueue(producer, ledger, refused, address);
            ledger.awaitDrained(nodes, Duration.ofSeconds(60));

            // Then everything stored before the disk filled and everything enqueued after is delivered once,
            // and the store empties
            await().atMost(Duration.ofSeconds(90)).until(() -> producer.usedBytes() == 0
                && ProducerKillFaultIT.bundlesOnDisk(store) == 0);
            long seconds = (System.nanoTime() - started) / 1_000_000_000L;
            ledger.check(nodes).report("store-disk-full", "storedBeforeFull=4 refused=" + messages.size()
                + " acceptedAfterSpace=" + refused.size() + " copyFallbacks=" + (long) copyFallbacks(stack)
                + " gcFailuresWhileFull=" + (long) gcFailuresWhileFull + " seconds=" + seconds);
        }
    }

    /** Bytes a written part takes on tmpfs: every file rounded up to whole pages. */
    private static long pages(Parts.Written w) {
        return w.types().stream().flatMap(t -> t.files().stream()).mapToLong(FileEntry::size)
            .map(size -> (size + PAGE - 1) / PAGE * PAGE).sum();
    }

    /** True when every stored file of these parts is the liaison's file itself (same inode). */
    private static boolean hardLinked(Path store, Path source, List<Parts.Written> parts) throws IOException {
        for (Parts.Written w : parts) {
            Path bundle = store.resolve(Stack.LIAISON).resolve(Parts.GROUP).resolve(Integer.toString(w.key().shard()))
                .resolve(w.key().partIdHex());
            for (var t : w.types()) {
                for (FileEntry f : t.files()) {
                    Path liaisonFile = source.resolve(w.key().partIdHex()).resolve(t.type()).resolve(f.name());
                    if (!Files.isSameFile(bundle.resolve(t.type()).resolve(f.name()), liaisonFile)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private static List<Path> entries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    private static double failedSessions(Stack stack) {
        return stack.registry.find("handoff.datanode.sessions").tag("outcome", "FAILED").counters().stream()
            .mapToDouble(Counter::count).sum();
    }

    private static double receivedBytes(Stack stack) {
        return stack.registry.find("handoff.datanode.bytes").counters().stream().mapToDouble(Counter::count).sum();
    }

    private static double retries(Stack stack) {
        return stack.registry.find("handoff.replay.retries").counters().stream().mapToDouble(Counter::count).sum();
    }

    private static double gcFailures(Stack stack) {
        return stack.registry.find("handoff.producer.gc.failures").counters().stream().mapToDouble(Counter::count).sum();
    }

    private static double marksWaiting(Stack stack) {
        return stack.registry.get("handoff.enqueue.marks.waiting").gauge().value();
    }

    private static double copyFallbacks(Stack stack) {
        return stack.registry.find("handoff.store.copy.fallbacks").counters().stream().mapToDouble(Counter::count).sum();
    }
}
