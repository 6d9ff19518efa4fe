package dev.handoff.replayer.internals;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.handoff.protocol.FileEntry;
import dev.handoff.protocol.PartTypeEntry;
import dev.handoff.protocol.common.Checksums;
import dev.handoff.protocol.grpc.FileChunk;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestVerifierTest {
    private static final byte[] DATA = "0123456789".getBytes(StandardCharsets.UTF_8);
    private static final List<PartTypeEntry> MANIFEST = List.of(
        new PartTypeEntry("core", List.of(new FileEntry("a.bin", 10, Checksums.crc32c(DATA)), new FileEntry("empty", 0, 0)), Map.of()),
        new PartTypeEntry("sidx_x", List.of(new FileEntry("b.bin", 10, Checksums.crc32c(DATA))), Map.of()));

    private static FileChunk chunk(String type, String name, long offset, byte[] data, int from, int to, boolean last) {
        return FileChunk.newBuilder().setType(type).setName(name).setOffset(offset)
            .setData(ByteString.copyFrom(data, from, to - from)).setLast(last).build();
    }

    @Test
    void shouldAcceptABundleMatchingItsRecord() {
        ManifestVerifier v = new ManifestVerifier(MANIFEST);

        assertThatCode(() -> {
            v.accept(chunk("core", "a.bin", 0, DATA, 0, 4, false));
            v.accept(chunk("core", "a.bin", 4, DATA, 4, 10, true));
            v.accept(chunk("core", "empty", 0, DATA, 0, 0, true));
            v.accept(chunk("sidx_x", "b.bin", 0, DATA, 0, 10, true));
            v.requireComplete();
        }).doesNotThrowAnyException();
    }

    @Test
    void shouldRefuseAFileWhoseCrcDiffers() throws Exception {
        ManifestVerifier v = new ManifestVerifier(MANIFEST);
        byte[] other = "0123456780".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> v.accept(chunk("core", "a.bin", 0, other, 0, 10, true)))
            .isInstanceOf(BundleMismatchException.class).hasMessageContaining("CRC32C")
            .extracting(e -> ((BundleMismatchException) e).reason()).isEqualTo(ParkReason.CHECKSUM);
    }

    @Test
    void shouldRefuseAFileShorterOrLongerThanTheRecord() throws Exception {
        ManifestVerifier shorter = new ManifestVerifier(MANIFEST);
        assertThatThrownBy(() -> shorter.accept(chunk("core", "a.bin", 0, DATA, 0, 9, true)))
            .hasMessageContaining("core/a.bin ended after 9 bytes, announced 10");

        ManifestVerifier longer = new ManifestVerifier(MANIFEST);
        longer.accept(chunk("core", "a.bin", 0, DATA, 0, 10, false));
        assertThatThrownBy(() -> longer.accept(chunk("core", "a.bin", 10, DATA, 0, 1, true)))
            .hasMessageContaining("more bytes than its announced 10");
    }

    @Test
    void shouldRefuseFilesOutOfOrderOrMissing() throws Exception {
        ManifestVerifier wrongFile = new ManifestVerifier(MANIFEST);
        assertThatThrownBy(() -> wrongFile.accept(chunk("sidx_x", "b.bin", 0, DATA, 0, 10, true)))
            .extracting(e -> ((BundleMismatchException) e).reason()).isEqualTo(ParkReason.SOURCE_MISMATCH);

        ManifestVerifier early = new ManifestVerifier(MANIFEST);
        early.accept(chunk("core", "a.bin", 0, DATA, 0, 10, true));
        assertThatThrownBy(early::requireComplete).hasMessageContaining("ended before file core/empty");
    }
}
