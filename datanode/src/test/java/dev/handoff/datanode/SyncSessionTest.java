package dev.handoff.datanode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.protocol.FileEntry;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.PartTypeEntry;
import dev.handoff.protocol.common.Fsyncs;
import dev.handoff.protocol.grpc.FileInfo;
import dev.handoff.protocol.grpc.PartTypeInfo;
import dev.handoff.protocol.grpc.ProtoMapping;
import dev.handoff.protocol.grpc.SyncHeader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncSessionTest {
    private static final PartKey KEY = new PartKey("l", "g", 0, 1L);
    private static final byte[] A = "aaaa".getBytes();
    private static final byte[] B = "bb".getBytes();

    @TempDir
    Path staging;

    /** core/a (4 bytes), core/b (2 bytes), sidx_x/e (empty). */
    private static List<PartTypeEntry> types() {
        return List.of(
            new PartTypeEntry("core", List.of(entry("a", A), entry("b", B)), Map.of()),
            new PartTypeEntry("sidx_x", List.of(entry("e", new byte[0])), Map.of()));
    }

    private static FileEntry entry(String name, byte[] data) {
        return Bundles.oneFile("t", name, data).get(0).files().get(0);
    }

    private SyncSession begun() throws Exception {
        SyncSession session = new SyncSession();
        session.begin(SyncSession.validate(Bundles.header(KEY, types()).getHeader()), staging);
        return session;
    }

    @Test
    void shouldStageEveryFileAndCommitWhenChunksFollowTheRules() throws Exception {
        SyncSession session = begun();

        session.chunk(Bundles.chunk("core", "a", 0, "aa".getBytes(), false).getChunk());
        session.chunk(Bundles.chunk("core", "a", 2, "aa".getBytes(), true).getChunk());
        session.chunk(Bundles.chunk("core", "b", 0, B, true).getChunk());
        session.chunk(Bundles.chunk("sidx_x", "e", 0, new byte[0], true).getChunk());

        assertThat(session.commit()).isEqualTo(staging);
        assertThat(Files.readAllBytes(staging.resolve("core/a"))).isEqualTo(A);
        assertThat(Files.size(staging.resolve("sidx_x/e"))).isZero();
    }

    @Test
    void shouldRejectChunkOfTheNextFileBeforeTheCurrentOneEnded() throws Exception {
        SyncSession session = begun();
        session.chunk(Bundles.chunk("core", "a", 0, A, false).getChunk());

        assertThatThrownBy(() -> session.chunk(Bundles.chunk("core", "b", 0, B, true).getChunk()))
            .isInstanceOf(SessionRejectedException.class).hasMessageStartingWith("order:")
            .hasMessageContaining("expected a chunk of core/a");
    }

    @Test
    void shouldRejectChunkAfterEveryFileIsComplete() throws Exception {
        SyncSession session = begun();
        session.chunk(Bundles.chunk("core", "a", 0, A, true).getChunk());
        session.chunk(Bundles.chunk("core", "b", 0, B, true).getChunk());
        session.chunk(Bundles.chunk("sidx_x", "e", 0, new byte[0], true).getChunk());

        assertThatThrownBy(() -> session.chunk(Bundles.chunk("sidx_x", "e", 0, new byte[0], true).getChunk()))
            .hasMessageStartingWith("order:").hasMessageContaining("after every announced file was complete");
    }

    @Test
    void shouldRejectSecondHeader() throws Exception {
        SyncSession session = begun();

        assertThatThrownBy(() -> session.begin(SyncSession.validate(Bundles.header(KEY, types()).getHeader()), staging))
            .hasMessageStartingWith("order:").hasMessageContaining("second header");
    }

    @Test
    void shouldRejectCommitBeforeHeader() {
        assertThatThrownBy(() -> new SyncSession().commit())
            .hasMessageStartingWith("order:").hasMessageContaining("first message must be a header");
    }

    @Test
    void shouldRejectWrongChecksumAtTheLastChunk() throws Exception {
        SyncSession session = begun();

        assertThatThrownBy(() -> session.chunk(Bundles.chunk("core", "a", 0, "aaab".getBytes(), true).getChunk()))
            .hasMessageStartingWith("checksum:").hasMessageContaining("core/a");
    }

    @Test
    void shouldStillVerifySizesAndChecksumsWhenTheBenchmarkOnlyOptionSkipsFsyncs() throws Exception {
        // Given sessions whose fsyncs are skipped (--unsafe-no-fsync-benchmark-only)
        SyncSession good = new SyncSession(Fsyncs.noneBenchmarkOnly());
        good.begin(SyncSession.validate(Bundles.header(KEY, types()).getHeader()), staging);
        SyncSession bad = new SyncSession(Fsyncs.noneBenchmarkOnly());
        bad.begin(SyncSession.validate(Bundles.header(KEY, types()).getHeader()),
            Files.createTempDirectory(staging.getParent(), "bad"));

        // When one streams the announced bytes and the other a wrong byte
        good.chunk(Bundles.chunk("core", "a", 0, A, true).getChunk());
        good.chunk(Bundles.chunk("core", "b", 0, B, true).getChunk());
        good.chunk(Bundles.chunk("sidx_x", "e", 0, new byte[0], true).getChunk());

        // Then the first commits with its bytes and the second is still rejected by its CRC32C
        assertThat(good.commit()).isEqualTo(staging);
        assertThat(Files.readAllBytes(staging.resolve("core/b"))).isEqualTo(B);
        assertThatThrownBy(() -> bad.chunk(Bundles.chunk("core", "a", 0, "aaab".getBytes(), true).getChunk()))
            .hasMessageStartingWith("checksum:").hasMessageContaining("core/a");
    }

    @Test
    void shouldRemoveStagedFilesOnClose() throws Exception {
        SyncSession session = begun();
        session.chunk(Bundles.chunk("core", "a", 0, "aa".getBytes(), false).getChunk());

        session.close();

        assertThat(staging).doesNotExist();
    }

    @Test
    void shouldRejectHeaderWithoutPartKeyOrTypes() {
        assertThatThrownBy(() -> SyncSession.validate(SyncHeader.getDefaultInstance()))
            .hasMessageStartingWith("header:").hasMessageContaining("no part key");
        assertThatThrownBy(() -> SyncSession.validate(SyncHeader.newBuilder().setPart(ProtoMapping.toProto(KEY)).build()))
            .hasMessageStartingWith("header:").hasMessageContaining("at least one part type");
    }

    @Test
    void shouldRejectHeaderWithDuplicateTypeOrWrongTotal() {
        PartTypeInfo core = PartTypeInfo.newBuilder().setType("core")
            .addFiles(FileInfo.newBuilder().setName("a").setSize(4)).build();
        SyncHeader twice = SyncHeader.newBuilder().setPart(ProtoMapping.toProto(KEY)).addTypes(core).addTypes(core).build();
        SyncHeader wrongTotal = SyncHeader.newBuilder().setPart(ProtoMapping.toProto(KEY)).addTypes(core)
            .setTotalBytes(5).build();

        assertThatThrownBy(() -> SyncSession.validate(twice)).hasMessageStartingWith("names:")
            .hasMessageContaining("appears twice");
        assertThatThrownBy(() -> SyncSession.validate(wrongTotal)).hasMessageStartingWith("header:")
            .hasMessageContaining("total_bytes 5");
    }

    @Test
    void shouldRejectBadPartKeyNamingTheField() {
        SyncHeader header = SyncHeader.newBuilder().setPart(ProtoMapping.toProto(KEY).toBuilder().setGroup(".."))
            .addTypes(PartTypeInfo.newBuilder().setType("core").addFiles(FileInfo.newBuilder().setName("a"))).build();

        assertThatThrownBy(() -> SyncSession.validate(header)).hasMessageStartingWith("names: group \"..\"");
    }
}
