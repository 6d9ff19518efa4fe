package dev.handoff.banyandb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sink against the conformance receiver on real gRPC over loopback, with real files. */
class ChunkedSyncSinkTest {
    private static final int SPANS = 2 * 1024 * 1024 + 300_000;  // spans.bin spans three 1 MiB chunks
    @TempDir
    Path tmp;
    private BanyanNode node;
    private ChunkedSyncSink sink;

    @AfterEach
    void close() {
        if (sink != null) {
            sink.close();
        }
        if (node != null) {
            node.close();
        }
    }

    private void start(BanyanNodeSettings settings, BanyanVersions sent) throws Exception {
        node = new BanyanNode(settings, Clock.systemUTC()).start();
        sink = new ChunkedSyncSink(BanyanSinkSettings.of(sent, null, Duration.ofSeconds(10)), Clock.systemUTC());
    }

    private Path liaisonPart(long id) throws Exception {
        return SampleParts.write(tmp.resolve("liaison"), TestBundles.GROUP, 0, id, TestBundles.RULES, SPANS, id);
    }

    @Test
    void shouldCommitCoreAndEverySidxPartOfABundleInOneSessionByteForByte() throws Exception {
        // Given a receiver and a bundle whose spans.bin spans three chunks
        start(BanyanNodeSettings.forTests(tmp.resolve("node")), BanyanVersions.DEFAULTS);
        Path core = liaisonPart(0x17);

        // When it is sent
        try (ChunkedSyncSink.Session session = TestBundles.send(sink, TestBundles.bundle(node.address(), core, 0x17), core)) {
            session.complete();
        }

        // Then one session committed one part with both sidx parts, equal to the liaison's
        assertThat(node.sessions()).isEqualTo(1);
        List<ReceiverLayout.Commit> commits = node.commitsOf(TestBundles.GROUP, 0, 0x17);
        assertThat(commits).hasSize(1);
        assertThat(commits.get(0).types()).containsExactly("core", "duration", "timestamp");
        TestBundles.assertSameBundle(core, commits.get(0), node.dir());

        // And the comparison sees a changed byte and a changed metadata value
        Path spans = commits.get(0).coreDir(node.dir()).resolve("spans.bin");
        byte[] b = Files.readAllBytes(spans);
        b[SPANS - 1] ^= 1;
        Files.write(spans, b);
        Path manifest = commits.get(0).sidxDir(node.dir(), "timestamp").resolve("manifest.json");
        Files.writeString(manifest, Files.readString(manifest).replace("\"maxKey\":98000", "\"maxKey\":98001"));
        assertThat(CopyCheck.differences(core, commits.get(0), node.dir()))
            .containsExactly("core/spans.bin: bytes differ", "timestamp maxKey: 98001, expected 98000");
    }

    @Test
    void shouldGiveEveryCommitANewLocalIdSoThatAResentBundleIsASecondCopy() throws Exception {
        start(BanyanNodeSettings.forTests(tmp.resolve("node")), BanyanVersions.DEFAULTS);
        Path core = liaisonPart(5);

        for (int i = 0; i < 2; i++) {
            try (ChunkedSyncSink.Session s = TestBundles.send(sink, TestBundles.bundle(node.address(), core, 5), core)) {
                s.complete();
            }
        }

        // BanyanDB's receiver is not idempotent: the oracle sees the duplicate
        List<ReceiverLayout.Commit> commits = node.commitsOf(TestBundles.GROUP, 0, 5);
        assertThat(commits).extracting(ReceiverLayout.Commit::localPartId).containsExactly(1L, 2L);
    }

    @Test
    void shouldParkAsIncompatibleNamingBothVersionsWhenTheNodeRunsAnotherBanyanDb() throws Exception {
        // Given a 0.9 node and a sender configured for 0.10
        start(BanyanNodeSettings.forTests(tmp.resolve("node")).withVersions(new BanyanVersions("0.9", "1.3.0", List.of("1.3.0"))),
            BanyanVersions.DEFAULTS);
        Path core = liaisonPart(1);

        // Then the first chunk is refused and the failure names both sides' versions
        assertThatThrownBy(() -> TestBundles.send(sink, TestBundles.bundle(node.address(), core, 1), core).complete())
            .isInstanceOfSatisfying(BanyanSyncException.class, e -> assertThat(e.kind()).isEqualTo(BanyanSyncException.Kind.INCOMPATIBLE))
            .hasMessageContaining("sent api 0.10, file format 1.5.0").hasMessageContaining("node api 0.9")
            .hasMessageContaining("file format 1.3.0");
        assertThat(node.commitLog()).isEmpty();
    }

    @Test
    void shouldParkAsIncompatibleWhenOnlyTheFileFormatDiffers() throws Exception {
        start(BanyanNodeSettings.forTests(tmp.resolve("node")).withVersions(new BanyanVersions("0.10", "1.4.0", List.of("1.4.0"))),
            BanyanVersions.DEFAULTS);
        Path core = liaisonPart(1);

        assertThatThrownBy(() -> TestBundles.send(sink, TestBundles.bundle(node.address(), core, 1), core).complete())
            .isInstanceOfSatisfying(BanyanSyncException.class, e -> assertThat(e.kind()).isEqualTo(BanyanSyncException.Kind.INCOMPATIBLE))
            .hasMessageContaining("FORMAT_VERSION_MISMATCH").hasMessageContaining("file format 1.4.0");
    }

    @Test
    void shouldAbandonTheSessionOnAChecksumMismatchAndCommitNothingSoTheWholeBundleIsRetried() throws Exception {
        // Given a receiver that sees chunk 1 of the first session corrupted
        start(BanyanNodeSettings.forTests(tmp.resolve("node")).withTestFaults(1, 0, 1), BanyanVersions.DEFAULTS);
        Path core = liaisonPart(2);

        // When the bundle is sent: the session fails as a retry of the whole bundle, nothing is committed
        assertThatThrownBy(() -> TestBundles.send(sink, TestBundles.bundle(node.address(), core, 2), core).complete())
            .isInstanceOfSatisfying(BanyanSyncException.class, e -> assertThat(e.kind()).isEqualTo(BanyanSyncException.Kind.RETRY))
            .hasMessageContaining("CHECKSUM_MISMATCH");
        assertThat(node.commitLog()).isEmpty();

        // Then the whole bundle sent again in a new session arrives complete
        try (ChunkedSyncSink.Session s = TestBundles.send(sink, TestBundles.bundle(node.address(), core, 2), core)) {
            s.complete();
        }
        assertThat(node.sessions()).isEqualTo(2);
        TestBundles.assertSameBundle(core, node.commitsOf(TestBundles.GROUP, 0, 2).get(0), node.dir());
        assertThat(leftovers(node.dir())).isEmpty();
    }

    @Test
    void shouldReportServerBusyAsBusyAndCommitNothing() throws Exception {
        start(BanyanNodeSettings.forTests(tmp.resolve("node")).withTestFaults(0, 1, 1), BanyanVersions.DEFAULTS);
        Path core = liaisonPart(3);

        assertThatThrownBy(() -> TestBundles.send(sink, TestBundles.bundle(node.address(), core, 3), core).complete())
            .isInstanceOfSatisfying(BanyanSyncException.class, e -> assertThat(e.kind()).isEqualTo(BanyanSyncException.Kind.BUSY))
            .hasMessageContaining("SERVER_BUSY");
        assertThat(node.commitLog()).isEmpty();
    }

    @Test
    void shouldTreatAFileTheNodeDoesNotKnowAsPoison() throws Exception {
        start(BanyanNodeSettings.forTests(tmp.resolve("node")), BanyanVersions.DEFAULTS);
        Path core = liaisonPart(4);
        Files.write(core.resolve("extra.idx"), new byte[] {1, 2, 3});

        assertThatThrownBy(() -> TestBundles.send(sink, TestBundles.bundle(node.address(), core, 4), core).complete())
            .isInstanceOfSatisfying(BanyanSyncException.class, e -> assertThat(e.kind()).isEqualTo(BanyanSyncException.Kind.POISON))
            .hasMessageContaining("unknown file type: extra.idx");
        assertThat(node.commitLog()).isEmpty();
        assertThat(leftovers(node.dir())).isEmpty();
    }

    @Test
    void shouldTreatAnInvalidMinTimestampAsPoison() throws Exception {
        start(BanyanNodeSettings.forTests(tmp.resolve("node")), BanyanVersions.DEFAULTS);
        Path core = liaisonPart(6);
        Files.writeString(core.resolve("metadata.json"), "{\"compressedSizeBytes\":1,\"uncompressedSpanSizeBytes\":1,"
            + "\"totalCount\":1,\"blocksCount\":1,\"minTimestamp\":0,\"maxTimestamp\":5}");

        assertThatThrownBy(() -> TestBundles.send(sink, TestBundles.bundle(node.address(), core, 6), core).complete())
            .isInstanceOfSatisfying(BanyanSyncException.class, e -> assertThat(e.kind()).isEqualTo(BanyanSyncException.Kind.POISON))
            .hasMessageContaining("invalid MinTimestamp 0");
    }

    @Test
    void shouldReportAnUnreachableNodeAsTransportUnavailable() throws Exception {
        start(BanyanNodeSettings.forTests(tmp.resolve("node")), BanyanVersions.DEFAULTS);
        Path core = liaisonPart(7);
        String address = node.address();
        node.close();

        assertThatThrownBy(() -> TestBundles.send(sink, TestBundles.bundle(address, core, 7), core).complete())
            .isInstanceOfSatisfying(BanyanSyncException.class, e -> {
                assertThat(e.kind()).isEqualTo(BanyanSyncException.Kind.TRANSPORT);
                assertThat(e.code()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE);
            });
    }

    @Test
    void shouldRefuseAtOpenASidxPartWithNeitherMinTimestampNorSegment() throws Exception {
        start(BanyanNodeSettings.forTests(tmp.resolve("node")), BanyanVersions.DEFAULTS);
        ChunkedSyncSink.Bundle bundle = new ChunkedSyncSink.Bundle(node.address(), "g", 0, 1, List.of(
            new ChunkedSyncSink.Part("duration", Map.of("compressedSizeBytes", 1, "segmentID", 0))));

        assertThatThrownBy(() -> sink.open(bundle)).isInstanceOfSatisfying(BanyanSyncException.class,
            e -> assertThat(e.kind()).isEqualTo(BanyanSyncException.Kind.POISON)).hasMessageContaining("neither minTimestamp nor a segmentID");
    }

    /** Staging directories a discarded part left behind. */
    private static List<Path> leftovers(Path root) throws Exception {
        try (var s = Files.walk(root)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".staging")).toList();
        }
    }
}
