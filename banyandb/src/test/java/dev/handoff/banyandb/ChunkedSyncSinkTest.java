package dev.handoff.banyandb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

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
        try (ChunkedSyncSink.Session session = send(core, 0x17)) {
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
            try (ChunkedSyncSink.Session s = send(core, 5)) {
                s.complete();
            }
        }

        // BanyanDB's receiver is not idempotent: the oracle sees the duplicate
        List<ReceiverLayout.Commit> commits = node.commitsOf(TestBundles.GROUP, 0, 5);
        assertThat(commits).extracting(ReceiverLayout.Commit::localPartId).containsExactly(1L, 2L);
    }

    /** Node versions other than the sender's (api 0.10, file format 1.5.0), and what the refusal must name. */
    static Stream<Arguments> otherNodeVersions() {
        return Stream.of(
            Arguments.of("0.9", "1.3.0", List.of("sent api 0.10, file format 1.5.0", "node api 0.9", "file format 1.3.0")),
            Arguments.of("0.10", "1.4.0", List.of("FORMAT_VERSION_MISMATCH", "file format 1.4.0")));
    }

    @ParameterizedTest(name = "node api {0}, file format {1}")
    @MethodSource("otherNodeVersions")
    void shouldParkAsIncompatibleNamingTheVersionsWhenTheNodeRunsAnotherApiOrFileFormat(String api, String format,
                                                                                       List<String> named) throws Exception {
        // Given a node of another BanyanDB, or of the same api with another file format, and a sender for 0.10
        start(BanyanNodeSettings.forTests(tmp.resolve("node")).withVersions(new BanyanVersions(api, format, List.of(format))),
            BanyanVersions.DEFAULTS);
        Path core = liaisonPart(1);

        // Then the first chunk is refused and the failure names the versions
        AbstractThrowableAssert<?, ? extends Throwable> refusal = assertSendFails(core, 1, BanyanSyncException.Kind.INCOMPATIBLE);
        named.forEach(refusal::hasMessageContaining);
        assertThat(node.commitLog()).isEmpty();
    }

    @ParameterizedTest(name = "{2} ({3})")
    @CsvSource({"1, 0, RETRY, CHECKSUM_MISMATCH", "0, 1, BUSY, SERVER_BUSY"})
    void shouldAbandonAFaultySessionCommitNothingAndDeliverTheWholeBundleSentAgain(int corruptSessions, int busySessions,
                                                                                    BanyanSyncException.Kind kind,
                                                                                    String status) throws Exception {
        // Given a receiver that sees chunk 1 of the first session corrupted, or answers it SERVER_BUSY
        start(BanyanNodeSettings.forTests(tmp.resolve("node")).withTestFaults(corruptSessions, busySessions, 1),
            BanyanVersions.DEFAULTS);
        Path core = liaisonPart(2);

        // When the bundle is sent: the session fails (a retry of the whole bundle, or busy), nothing is committed
        assertSendFails(core, 2, kind).hasMessageContaining(status);
        assertThat(node.commitLog()).isEmpty();

        // Then the whole bundle sent again in a new session arrives complete
        try (ChunkedSyncSink.Session s = send(core, 2)) {
            s.complete();
        }
        assertThat(node.sessions()).isEqualTo(2);
        TestBundles.assertSameBundle(core, node.commitsOf(TestBundles.GROUP, 0, 2).get(0), node.dir());
        assertThat(leftovers(node.dir())).isEmpty();
    }

    @Test
    void shouldTreatAFileTheNodeDoesNotKnowAsPoison() throws Exception {
        start(BanyanNodeSettings.forTests(tmp.resolve("node")), BanyanVersions.DEFAULTS);
        Path core = liaisonPart(4);
        Files.write(core.resolve("extra.idx"), new byte[] {1, 2, 3});

        assertSendFails(core, 4, BanyanSyncException.Kind.POISON).hasMessageContaining("unknown file type: extra.idx");
        assertThat(node.commitLog()).isEmpty();
        assertThat(leftovers(node.dir())).isEmpty();
    }

    @Test
    void shouldTreatAnInvalidMinTimestampAsPoison() throws Exception {
        start(BanyanNodeSettings.forTests(tmp.resolve("node")), BanyanVersions.DEFAULTS);
        Path core = liaisonPart(6);
        Files.writeString(core.resolve("metadata.json"), "{\"compressedSizeBytes\":1,\"uncompressedSpanSizeBytes\":1,"
            + "\"totalCount\":1,\"blocksCount\":1,\"minTimestamp\":0,\"maxTimestamp\":5}");

        assertSendFails(core, 6, BanyanSyncException.Kind.POISON).hasMessageContaining("invalid MinTimestamp 0");
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

    /** Opens a session to the node for the liaison part {@code id} at {@code core} and sends every file of it. */
    private ChunkedSyncSink.Session send(Path core, long id) throws Exception {
        return TestBundles.send(sink, TestBundles.bundle(node.address(), core, id), core);
    }

    /** Sending part {@code id} and completing the session fails as {@code kind}; the caller checks the message. */
    private AbstractThrowableAssert<?, ? extends Throwable> assertSendFails(Path core, long id, BanyanSyncException.Kind kind) {
        return assertThatThrownBy(() -> send(core, id).complete())
            .isInstanceOfSatisfying(BanyanSyncException.class, e -> assertThat(e.kind()).isEqualTo(kind));
    }

    /** Staging directories a discarded part left behind. */
    private static List<Path> leftovers(Path root) throws Exception {
        try (var s = Files.walk(root)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".staging")).toList();
        }
    }
}
