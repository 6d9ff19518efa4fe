package dev.handoff.producer;

import static dev.handoff.producer.Fixtures.A;
import static dev.handoff.producer.Fixtures.B;
import static dev.handoff.producer.Fixtures.C;
import static dev.handoff.producer.Fixtures.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.FileEntry;
import dev.handoff.protocol.InvalidFieldException;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.PartTypeEntry;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.common.Checksums;
import dev.handoff.protocol.common.KafkaSettings;
import dev.handoff.protocol.json.Codecs;
import dev.handoff.testkit.KafkaClusterExtension;
import dev.handoff.testkit.SharedKafkaTest;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class EnqueueIT extends SharedKafkaTest {
    private Bundle bundle(PartKey part) throws Exception {
        Map<String, byte[]> core = new LinkedHashMap<>();
        core.put("primary.bin", bytes(10_000, 1));
        core.put("meta.bin", bytes(77, 2));
        core.put("timestamps.bin", new byte[0]);
        Map<String, byte[]> sidx = Map.of("keys.bin", bytes(5_000, 3), "data.bin", bytes(3_000, 4));
        Path src = tmp.resolve("src-" + part.partIdHex());
        return Bundle.of(part,
            new Bundle.Type("core", Fixtures.typeDir(src, "core", core), Map.of("compressedSizeBytes", 123L, "minTimestamp", 1L)),
            new Bundle.Type("sidx_a", Fixtures.typeDir(src, "sidx_a", sidx), Map.of()));
    }

    @Test
    void shouldPublishOneRecordPerNodeWithChecksumsAndStoreOneLinkedCopy() throws Exception {
        // Given a producer and a bundle of two part types
        ProducerSettings settings = Fixtures.settings(KAFKA, tmp.resolve("store"), "liaison-1").build();
        PartKey part = new PartKey("liaison-1", "metrics", 3, 0xfeedface00000001L);
        Bundle bundle = bundle(part);
        try (HandoffProducer producer = Fixtures.started(settings)) {
            // When it is enqueued for two nodes
            producer.enqueue(bundle, List.of(A, B));

            // Then each node topic holds exactly one record with the contract's fields and true checksums
            Topics topics = settings.topics();
            for (String node : List.of(A, B)) {
                List<ConsumerRecord<String, byte[]>> records = Fixtures.readTopic(KAFKA, topics.node(node), 1, Duration.ofSeconds(20));
                assertThat(records).hasSize(1);
                assertThat(records.get(0).key()).isEqualTo("metrics/3");
                EnqueueRecord r = Codecs.ENQUEUE.decode(records.get(0).value());
                assertThat(r.node()).isEqualTo(node);
                assertThat(r.targets()).containsExactly(A, B);
                assertThat(r.part()).isEqualTo(part);
                assertThat(r.source()).isEqualTo(producer.advertisedAddress());
                assertThat(r.types()).extracting(PartTypeEntry::type).containsExactly("core", "sidx_a");
                assertThat(r.types().get(0).meta()).containsEntry("compressedSizeBytes", 123L);
                assertThat(r.bytes()).isEqualTo(10_000 + 77 + 5_000 + 3_000);
                for (PartTypeEntry t : r.types()) {
                    Path srcDir = bundle.types().stream().filter(bt -> bt.type().equals(t.type())).findFirst().orElseThrow().directory();
                    try (Stream<Path> files = Files.list(srcDir)) {
                        assertThat(t.files()).extracting(FileEntry::name)
                            .containsExactlyInAnyOrderElementsOf(files.map(f -> f.getFileName().toString()).toList());
                    }
                    for (FileEntry f : t.files()) {
                        assertThat(f.crc32c()).isEqualTo(Checksums.crc32c(srcDir.resolve(f.name())));
                        assertThat(f.size()).isEqualTo(Files.size(srcDir.resolve(f.name())));
                    }
                }
            }
            // And the store holds one hard link per file (same inode), counted once
            Path stored = settings.storeDir().resolve("liaison-1/metrics/3/feedface00000001");
            Path src = bundle.types().get(0).directory().resolve("primary.bin");
            assertThat(Files.getAttribute(stored.resolve("core/primary.bin"), "unix:ino")).isEqualTo(Files.getAttribute(src, "unix:ino"));
            assertThat(Files.getAttribute(src, "unix:nlink")).isEqualTo(2);
            assertThat(stored.resolve(StoreLayout.MANIFEST)).exists();
            assertThat(producer.usedBytes()).isEqualTo(18_077);
        }
    }

    @Test
    void shouldAddOnlyMissingNodesWhenTheSamePartIsEnqueuedAgain() throws Exception {
        // Given a bundle enqueued for A and B
        ProducerSettings settings = Fixtures.settings(KAFKA, tmp.resolve("store"), "liaison-2").build();
        Bundle bundle = bundle(new PartKey("liaison-2", "logs", 0, 7L));
        try (HandoffProducer producer = Fixtures.startedWith(settings, bundle, List.of(A, B))) {
            long used = producer.usedBytes();

            // When it is enqueued again for B and C
            producer.enqueue(bundle, List.of(B, C));

            // Then only C gets a new record, carrying the full target list; B still has one; no second copy
            Topics topics = settings.topics();
            List<ConsumerRecord<String, byte[]>> forC = Fixtures.readTopic(KAFKA, topics.node(C), 1, Duration.ofSeconds(20));
            assertThat(forC).hasSize(1);
            assertThat(Codecs.ENQUEUE.decode(forC.get(0).value()).targets()).containsExactly(A, B, C);
            assertThat(Fixtures.readTopic(KAFKA, topics.node(B), 1, Duration.ofSeconds(20))).hasSize(1);
            assertThat(producer.usedBytes()).isEqualTo(used);
            Path src = bundle.types().get(0).directory().resolve("primary.bin");
            assertThat(Files.getAttribute(src, "unix:nlink")).isEqualTo(2);
        }
    }

    @Test
    void shouldRefuseABundleWhoseRecordCouldNeverBeSentBeforeStoringAnything() throws Exception {
        // Given a producer whose Kafka client sends requests of at most 8 KiB
        ProducerSettings settings = ProducerSettings.builder(tmp.resolve("store"), "liaison-5",
                new KafkaSettings(KAFKA.bootstrapServers(), Map.of("max.request.size", "8192")))
            .topicPrefix(KafkaClusterExtension.unique("t")).listen("localhost", 0).build();
        Map<String, byte[]> many = new LinkedHashMap<>();
        for (int i = 0; i < 200; i++) {
            many.put(String.format("column-%03d.bin", i), bytes(10, i));
        }
        PartKey part = new PartKey("liaison-5", "g", 0, 9L);
        Bundle bundle = Bundle.of(part, new Bundle.Type("core", Fixtures.typeDir(tmp.resolve("many"), "core", many), Map.of()));
        try (HandoffProducer producer = Fixtures.started(settings)) {
            // When a bundle of 200 files (a record of about 15 KB) is enqueued
            // Then it is refused with the numbers, naming the setting
            assertThatThrownBy(() -> producer.enqueue(bundle, List.of(A)))
                .isInstanceOf(InvalidFieldException.class)
                .hasMessageStartingWith("types \"200 files\": the enqueue record would be about ")
                .hasMessageContaining("over the producer's max.request.size of 8192 bytes");

            // And nothing was stored or published
            Path liaisonDir = settings.storeDir().resolve("liaison-5");
            try (Stream<Path> all = Files.walk(liaisonDir)) {
                assertThat(all.filter(p -> !p.equals(liaisonDir)).toList()).isEmpty();
            }
            assertThat(producer.usedBytes()).isZero();
        }
    }

    @Test
    void shouldRefuseBadNamesNamingTheFieldAndCreateNothingOnDisk() throws Exception {
        // Given a started producer
        ProducerSettings settings = Fixtures.settings(KAFKA, tmp.resolve("store"), "liaison-3").build();
        String longName = "x".repeat(129);
        try (HandoffProducer producer = Fixtures.started(settings)) {
            Path liaisonDir = settings.storeDir().resolve("liaison-3");

            // When names are bad, Then each is refused naming its field
            for (String bad : List.of("../x", "/abs", "", longName, "..", ".")) {
                assertThatThrownBy(() -> new PartKey("liaison-3", bad, 0, 1L))
                    .isInstanceOf(InvalidFieldException.class).hasMessageStartingWith("group ");
                assertThatThrownBy(() -> new Bundle.Type(bad, tmp, Map.of()))
                    .isInstanceOf(InvalidFieldException.class).hasMessageStartingWith("types.type ");
                assertThatThrownBy(() -> producer.enqueue(bundle(new PartKey("liaison-3", "g", 0, 2L)), List.of(bad)))
                    .isInstanceOf(InvalidFieldException.class).hasMessageStartingWith("nodes ");
            }
            assertThatThrownBy(() -> new PartKey(longName, "g", 0, 1L)).hasMessageStartingWith("liaison ");
            // a file whose name breaks the rule, and a part of another liaison
            Path badFile = Fixtures.typeDir(tmp.resolve("bad"), "core", Map.of(longName, bytes(10, 1)));
            assertThatThrownBy(() -> producer.enqueue(Bundle.of(new PartKey("liaison-3", "g", 0, 3L),
                new Bundle.Type("core", badFile, Map.of())), List.of(A)))
                .isInstanceOf(InvalidFieldException.class).hasMessageStartingWith("files.name ");
            assertThatThrownBy(() -> producer.enqueue(bundle(new PartKey("other", "g", 0, 4L)), List.of(A)))
                .isInstanceOf(InvalidFieldException.class).hasMessageStartingWith("liaison ");
            assertThatThrownBy(() -> producer.enqueue(Bundle.of(new PartKey("liaison-3", "g", 0, 5L),
                new Bundle.Type("manifest.json", badFile, Map.of())), List.of(A)))
                .isInstanceOf(InvalidFieldException.class).hasMessageStartingWith("types.type ");

            // Then nothing was created in the store and nothing is counted
            try (Stream<Path> all = Files.walk(liaisonDir)) {
                assertThat(all.filter(p -> !p.equals(liaisonDir)).toList()).isEmpty();
            }
            assertThat(Files.list(settings.storeDir()).toList()).containsExactly(liaisonDir);
            assertThat(producer.usedBytes()).isZero();
        }
    }

    @Test
    void shouldCopyAndCountAFallbackWhenTheSourceIsOnAnotherFileSystem() throws Exception {
        // Given a part on another file system than the store (tmpfs), where hard links are impossible
        Path shm = Path.of("/dev/shm");
        Assumptions.assumeTrue(Files.isWritable(shm) && !Files.getFileStore(shm).equals(Files.getFileStore(tmp)),
            "needs a writable /dev/shm on another file system");
        Path src = Files.createTempDirectory(shm, "handoff-it-");
        try {
            Path core = Fixtures.typeDir(src, "core", Map.of("a.bin", bytes(1_234, 5)));
            ProducerSettings settings = Fixtures.settings(KAFKA, tmp.resolve("store"), "liaison-4").build();
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            try (HandoffProducer producer = Fixtures.started(settings, registry)) {

                // When it is enqueued
                producer.enqueue(Bundle.of(new PartKey("liaison-4", "g", 0, 1L), new Bundle.Type("core", core, Map.of())), List.of(A));

                // Then the file was copied (another inode, same bytes) and the fallback counted
                Path stored = settings.storeDir().resolve("liaison-4/g/0/0000000000000001/core/a.bin");
                assertThat(stored).hasSameBinaryContentAs(core.resolve("a.bin"));
                assertThat(Files.getAttribute(stored, "unix:nlink")).isEqualTo(1);
                assertThat(registry.get("handoff.store.copy.fallbacks").counter().count()).isEqualTo(1.0);
            }
        } finally {
            dev.handoff.protocol.common.Durable.deleteTree(src);
        }
    }

    @Test
    void shouldTimeTheStoreAndPublishPhasesOfEachSuccessfulEnqueueOnly() throws Exception {
        // Given a producer with its own registry
        ProducerSettings settings = Fixtures.settings(KAFKA, tmp.resolve("store"), "liaison-5").build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (HandoffProducer producer = Fixtures.started(settings, registry)) {
            // When two bundles are enqueued and one enqueue is refused (no node)
            producer.enqueue(bundle(new PartKey("liaison-5", "g", 0, 1L)), List.of(A));
            producer.enqueue(bundle(new PartKey("liaison-5", "g", 0, 2L)), List.of(A, B));
            assertThatThrownBy(() -> producer.enqueue(bundle(new PartKey("liaison-5", "g", 0, 3L)), List.of()))
                .isInstanceOf(InvalidFieldException.class);

            // Then each phase was timed twice, both took time, and together no longer than the enqueues did
            Timer store = registry.get("handoff.enqueue.phase.latency").tag("phase", "store").timer();
            Timer publish = registry.get("handoff.enqueue.phase.latency").tag("phase", "publish").timer();
            Timer enqueued = registry.get("handoff.enqueue.latency").tag("outcome", "enqueued").timer();
            assertThat(store.count()).isEqualTo(2);
            assertThat(publish.count()).isEqualTo(2);
            assertThat(store.totalTime(TimeUnit.NANOSECONDS)).isPositive();
            assertThat(publish.totalTime(TimeUnit.NANOSECONDS)).isPositive();
            // the enqueue timer has millisecond resolution (the producer's clock): allow 1 ms per enqueue
            assertThat(store.totalTime(TimeUnit.MILLISECONDS)
                + publish.totalTime(TimeUnit.MILLISECONDS))
                .isLessThanOrEqualTo(enqueued.totalTime(TimeUnit.MILLISECONDS) + 2);
        }
    }
}
