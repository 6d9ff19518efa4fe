package dev.handoff.datanode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handoff.protocol.FileEntry;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.PartTypeEntry;
import dev.handoff.protocol.grpc.FileInfo;
import dev.handoff.protocol.grpc.PartTypeInfo;
import dev.handoff.protocol.grpc.SyncHeader;
import dev.handoff.protocol.grpc.SyncRequest;
import dev.handoff.protocol.grpc.SyncResponse;
import dev.handoff.protocol.grpc.SyncResponse.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The reference data node over real gRPC on localhost, writing real files. */
class DataNodeIT extends DataNodeTestSupport {
    private static final PartKey KEY = new PartKey("liaison-1", "metrics", 3, 0x00ab_cdef_0123_4567L);

    private Path source;
    private SimpleMeterRegistry registry;
    private DataNode node;
    private SyncClient client;

    @BeforeEach
    void startNode() throws IOException {
        source = Files.createDirectories(temp.resolve("source"));
        registry = new SimpleMeterRegistry();
        node = new DataNode(loopback(temp.resolve("node")).build(), registry).start();
        client = new SyncClient(node.address());
    }

    @AfterEach
    void stopNode() throws IOException {
        client.close();
        node.close();
    }

    @Test
    void shouldApplyBundleWithCoreAndTwoSidxTypesOnceWithIdenticalBytes() throws Exception {
        // Given a bundle of core and two sidx types on disk
        List<PartTypeEntry> types = Bundles.writeStandard(source, 1);

        // When it is streamed to the data node
        SyncResponse response = client.sendBundle(KEY, source, types);

        // Then it is applied once, byte for byte, with nothing left in tmp/
        assertThat(response.getStatus()).isEqualTo(Status.APPLIED);
        assertThat(node.verify(KEY, types)).isEmpty();
        assertThat(Files.mismatch(source.resolve("core/data.bin"), node.bundleDir(KEY).resolve("core/data.bin")))
            .isEqualTo(-1L);
        assertThat(node.appliedCount(KEY)).isEqualTo(1);
        assertThat(node.appliedParts()).containsExactly(KEY);
        assertThat(node.bundleDir(KEY)).isEqualTo(temp.resolve("node/parts/liaison-1/metrics/3/00abcdef01234567"));
        assertThat(Files.readString(temp.resolve("node/applied.log"))).isEqualTo(KEY + "\n");
        assertThat(tmpEntries()).isEmpty();
        assertThat(registry.get("handoff.datanode.sessions").tag("outcome", "APPLIED").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("handoff.datanode.bytes").counter().count())
            .isEqualTo((double) types.stream().mapToLong(PartTypeEntry::bytes).sum());
    }

    @Test
    void shouldIssueOnlyTheFsyncsTheDurabilityRulesNeedPerBundle() throws Exception {
        // Given the standard bundle: 4 files in 3 types
        List<PartTypeEntry> types = Bundles.writeStandard(source, 7);
        long perBundle = 4 + 3 + 1 + 1 + 1; // files, type dirs, staging dir, shard dir, applied.log
        long newDirs = 3; // the first bundle of a shard: shard, group and liaison dirs created, each parent fsynced
        long before = node.fsyncs();

        // When it is applied, then a second bundle into the same shard
        assertThat(client.sendBundle(KEY, source, types).getStatus()).isEqualTo(Status.APPLIED);
        long first = node.fsyncs() - before;
        PartKey second = new PartKey(KEY.liaison(), KEY.group(), KEY.shard(), KEY.partId() + 1);
        assertThat(client.sendBundle(second, source, types).getStatus()).isEqualTo(Status.APPLIED);
        long next = node.fsyncs() - before - first;

        // Then each paid exactly the minimum (no fsync of tmp/), and the metric says the same
        assertThat(first).isEqualTo(perBundle + newDirs);
        assertThat(next).isEqualTo(perBundle);
        assertThat(registry.get("handoff.datanode.fsyncs").functionCounter().count()).isEqualTo((double) node.fsyncs());

        // And 16 bundles committing at once pay at most that each (shard dir and log fsyncs are shared)
        List<java.util.concurrent.CompletableFuture<SyncResponse>> racing = new java.util.ArrayList<>();
        long start = node.fsyncs();
        for (int i = 0; i < 16; i++) {
            PartKey k = new PartKey(KEY.liaison(), KEY.group(), KEY.shard(), KEY.partId() + 100 + i);
            racing.add(client.startBundle(k, source, types, types));
        }
        for (var r : racing) {
            assertThat(SyncClient.await(r).getStatus()).isEqualTo(Status.APPLIED);
        }
        assertThat(node.fsyncs() - start).isLessThanOrEqualTo(16 * perBundle);
    }

    @Test
    void shouldAnswerDuplicateWithoutRewritingWhenBundleIsSentAgain() throws Exception {
        // Given an applied bundle
        List<PartTypeEntry> types = Bundles.writeStandard(source, 2);
        assertThat(client.sendBundle(KEY, source, types).getStatus()).isEqualTo(Status.APPLIED);
        Path applied = node.bundleDir(KEY).resolve("core/data.bin");
        Object inode = Files.getAttribute(applied, "unix:ino");
        FileTime mtime = Files.getLastModifiedTime(applied);

        // When the same bundle comes again
        SyncResponse again = client.sendBundle(KEY, source, types);

        // Then it is a duplicate and the applied files are untouched
        assertThat(again.getStatus()).isEqualTo(Status.DUPLICATE);
        assertThat(node.appliedCount(KEY)).isEqualTo(1);
        assertThat(node.totalApplied()).isEqualTo(1);
        assertThat(Files.getAttribute(applied, "unix:ino")).isEqualTo(inode);
        assertThat(Files.getLastModifiedTime(applied)).isEqualTo(mtime);
        assertThat(tmpEntries()).isEmpty();
        assertThat(registry.get("handoff.datanode.sessions").tag("outcome", "DUPLICATE").counter().count()).isEqualTo(1.0);
    }

    /** Headers that announce one file of the bytes sent wrongly: its CRC32C, a size above, a size below. */
    static Stream<Arguments> misannouncedFiles() {
        return Stream.of(
            Arguments.of("wrong checksum", 3, "core", "data.bin",
                (UnaryOperator<FileEntry>) f -> new FileEntry(f.name(), f.size(), f.crc32c() ^ 1),
                "checksum", "core/data.bin"),
            Arguments.of("file shorter than announced", 4, "sidx_trace", "index.bin",
                (UnaryOperator<FileEntry>) f -> new FileEntry(f.name(), f.size() + 1, f.crc32c()),
                "size", "sidx_trace/index.bin"),
            Arguments.of("more bytes than announced", 5, "core", "data.bin",
                (UnaryOperator<FileEntry>) f -> new FileEntry(f.name(), 1000, f.crc32c()),
                "size", "more bytes than its announced 1000"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("misannouncedFiles")
    void shouldRejectAFileTheHeaderAnnouncedWronglyAndLeaveNothing(String what, int seed, String type, String file,
                                                                    UnaryOperator<FileEntry> announce, String rule,
                                                                    String detail) throws Exception {
        // Given a header announcing one file of the bundle wrongly
        List<PartTypeEntry> actual = Bundles.writeStandard(source, seed);
        List<PartTypeEntry> announced = withFile(actual, type, file, announce);

        // When the bundle is streamed
        SyncResponse response = SyncClient.await(client.startBundle(KEY, source, announced, actual));

        // Then it is rejected naming the rule and nothing is visible
        assertRejected(response, rule, detail);
    }

    @Test
    void shouldRejectOffsetGap() throws Exception {
        byte[] data = "0123456789".getBytes();
        List<PartTypeEntry> types = Bundles.oneFile("core", "a.bin", data);

        SyncResponse response = client.sendRaw(Bundles.header(KEY, types),
            Bundles.chunk("core", "a.bin", 0, new byte[] {'0', '1'}, false),
            Bundles.chunk("core", "a.bin", 5, new byte[] {'5'}, false));

        assertRejected(response, "order", "offset 5, expected offset 2");
    }

    @Test
    void shouldRejectFilesOutOfHeaderOrder() throws Exception {
        // Given a header announcing core/a.bin then core/b.bin
        List<PartTypeEntry> types = List.of(new PartTypeEntry("core", List.of(
            new FileEntry("a.bin", 1, Bundles.oneFile("t", "f", new byte[] {1}).get(0).files().get(0).crc32c()),
            new FileEntry("b.bin", 1, Bundles.oneFile("t", "f", new byte[] {2}).get(0).files().get(0).crc32c())), Map.of()));

        // When b.bin comes first
        SyncResponse response = client.sendRaw(Bundles.header(KEY, types),
            Bundles.chunk("core", "b.bin", 0, new byte[] {2}, true));

        // Then the order rule is broken
        assertRejected(response, "order", "expected a chunk of core/a.bin");
    }

    @Test
    void shouldRejectChunkBeforeHeader() throws Exception {
        SyncResponse response = client.sendRaw(Bundles.chunk("core", "a.bin", 0, new byte[] {1}, true));

        assertRejected(response, "order", "first message must be a header");
    }

    @Test
    void shouldRejectSecondHeaderEvenForAnAppliedPart() throws Exception {
        byte[] data = "x".getBytes();
        List<PartTypeEntry> types = Bundles.oneFile("core", "a.bin", data);
        PartKey other = new PartKey("liaison-1", "metrics", 3, 7L);

        SyncResponse response = client.sendRaw(Bundles.header(other, types), Bundles.header(KEY, types));

        assertRejected(response, "order", "second header");
    }

    @Test
    void shouldRejectCommitBeforeEveryByteArrived() throws Exception {
        byte[] data = "0123456789".getBytes();
        List<PartTypeEntry> types = Bundles.oneFile("core", "a.bin", data);

        SyncResponse response = client.sendRaw(Bundles.header(KEY, types),
            Bundles.chunk("core", "a.bin", 0, new byte[] {'0', '1', '2'}, false), Bundles.commit());

        assertRejected(response, "order", "commit before every file was complete");
    }

    @Test
    void shouldRejectStreamThatEndsWithoutCommit() throws Exception {
        byte[] data = "0123".getBytes();
        List<PartTypeEntry> types = Bundles.oneFile("core", "a.bin", data);

        SyncResponse response = client.sendRaw(Bundles.header(KEY, types), Bundles.chunk("core", "a.bin", 0, data, true));

        assertRejected(response, "order", "ended before a commit");
    }

    @Test
    void shouldRejectTypeNameThatClimbsOutOfTheBundle() throws Exception {
        SyncResponse response = client.sendRaw(rawHeader("../x", "a.bin"));

        assertRejected(response, "names", "types.type \"../x\"");
    }

    @Test
    void shouldRejectAbsoluteFileName() throws Exception {
        SyncResponse response = client.sendRaw(rawHeader("core", "/abs"));

        assertRejected(response, "names", "files.name \"/abs\"");
    }

    @Test
    void shouldLeaveNothingWhenClientCancelsMidStream() throws Exception {
        // Given a session that has written part of a file
        byte[] data = new byte[4096];
        List<PartTypeEntry> types = Bundles.oneFile("core", "a.bin", data);
        SyncClient.ManualSession session = client.open();
        session.send(Bundles.header(KEY, types));
        session.send(Bundles.chunk("core", "a.bin", 0, new byte[1024], false));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
            assertThat(stagedFiles()).anySatisfy(f -> assertThat(Files.size(f)).isEqualTo(1024)));

        // When the client cancels
        session.cancel();

        // Then the staging directory is removed and nothing was applied
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(tmpEntries()).isEmpty());
        assertThat(partsFiles()).isEmpty();
        assertThat(node.appliedCount(KEY)).isZero();
        assertThat(registry.get("handoff.datanode.sessions").tag("outcome", "ABORTED").counter().count()).isEqualTo(1.0);
    }

    @Test
    void shouldApplyExactlyOnceWhenTwoSessionsRaceForSamePart() throws Exception {
        // Given two sessions for the same PartKey that both received every byte
        byte[] data = "same bundle".getBytes();
        List<PartTypeEntry> types = Bundles.oneFile("core", "a.bin", data);
        SyncClient.ManualSession first = client.open();
        SyncClient.ManualSession second = client.open();
        for (SyncClient.ManualSession s : List.of(first, second)) {
            s.send(Bundles.header(KEY, types));
            s.send(Bundles.chunk("core", "a.bin", 0, data, true));
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(stagedFiles()).hasSize(2));

        // When both commit at once
        first.send(Bundles.commit());
        second.send(Bundles.commit());

        // Then exactly one is applied and the other is a duplicate
        List<Status> outcomes = List.of(SyncClient.await(first.answer).getStatus(),
            SyncClient.await(second.answer).getStatus());
        assertThat(outcomes).containsExactlyInAnyOrder(Status.APPLIED, Status.DUPLICATE);
        assertThat(node.appliedCount(KEY)).isEqualTo(1);
        assertThat(node.verify(KEY, types)).isEmpty();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(tmpEntries()).isEmpty());
    }

    @Test
    void shouldAnswerDuplicateRightAfterHeaderOfAnAppliedPart() throws Exception {
        // Given an applied part
        byte[] data = "x".getBytes();
        List<PartTypeEntry> types = Bundles.oneFile("core", "a.bin", data);
        client.sendRaw(Bundles.header(KEY, types), Bundles.chunk("core", "a.bin", 0, data, true), Bundles.commit());

        // When a session sends only its header
        SyncClient.ManualSession session = client.open();
        session.send(Bundles.header(KEY, types));

        // Then the answer comes before any chunk
        assertThat(SyncClient.await(session.answer).getStatus()).isEqualTo(Status.DUPLICATE);
        assertThat(node.appliedCount(KEY)).isEqualTo(1);
    }

    @Test
    void shouldServeHealth() {
        var health = HealthGrpc.newBlockingStub(client.channel());

        assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus()).isEqualTo(ServingStatus.SERVING);
        assertThat(node.isReady()).isTrue();
    }

    private void assertRejected(SyncResponse response, String rule, String detail) throws IOException {
        assertThat(response.getStatus()).isEqualTo(Status.REJECTED);
        assertThat(response.getReason()).startsWith(rule + ":").contains(detail);
        assertThat(partsFiles()).isEmpty();
        assertThat(tmpEntries()).isEmpty();
        assertThat(node.appliedCount(KEY)).isZero();
        assertThat(registry.get("handoff.datanode.sessions").tag("outcome", "REJECTED").counter().count()).isEqualTo(1.0);
    }

    private static SyncRequest rawHeader(String type, String file) {
        return SyncRequest.newBuilder().setHeader(SyncHeader.newBuilder()
            .setPart(dev.handoff.protocol.grpc.ProtoMapping.toProto(KEY))
            .addTypes(PartTypeInfo.newBuilder().setType(type).addFiles(FileInfo.newBuilder().setName(file).setSize(1)))
        ).build();
    }

    private static List<PartTypeEntry> withFile(List<PartTypeEntry> types, String type, String name,
                                                UnaryOperator<FileEntry> change) {
        return types.stream().map(t -> !t.type().equals(type) ? t : new PartTypeEntry(t.type(),
            t.files().stream().map(f -> f.name().equals(name) ? change.apply(f) : f).toList(), t.meta())).toList();
    }

    private List<Path> tmpEntries() throws IOException {
        try (Stream<Path> entries = Files.list(node.dataDir().resolve("tmp"))) {
            return entries.toList();
        }
    }

    private List<Path> stagedFiles() throws IOException {
        try (Stream<Path> entries = Files.walk(node.dataDir().resolve("tmp"))) {
            return entries.filter(Files::isRegularFile).toList();
        }
    }

    private List<Path> partsFiles() throws IOException {
        try (Stream<Path> entries = Files.walk(node.dataDir().resolve("parts"))) {
            return entries.filter(Files::isRegularFile).toList();
        }
    }
}
