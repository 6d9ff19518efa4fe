package dev.handoff.banyandb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.banyandb.grpc.cluster.FileInfo;
import dev.handoff.banyandb.grpc.cluster.PartInfo;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class ChunkPackerTest {
    private record Sent(int size, List<PartInfo> parts) {
    }

    private final List<Sent> sent = new ArrayList<>();
    private final List<PartInfo> templates = List.of(PartInfo.newBuilder().setId(1).setPartType("core").setMinTimestamp(5).build(),
        PartInfo.newBuilder().setId(1).setPartType("duration").setMinKey(3).build());
    private final ChunkPacker packer = new ChunkPacker(1024, templates, (data, parts) -> sent.add(new Sent(data.remaining(), parts)));

    @Test
    void shouldPackFilesAndPartsIntoFullChunksWithOffsetsWithinTheChunk() throws Exception {
        // Given a 300-byte file, a 2000-byte file in two fragments, then a sidx file of 100 bytes
        packer.write(0, "meta", ByteBuffer.allocate(300));
        packer.write(0, "spans", ByteBuffer.allocate(1000));
        packer.write(0, "spans", ByteBuffer.allocate(1000));
        packer.write(1, "data", ByteBuffer.allocate(100));
        packer.finish();

        // Then 2400 bytes make chunks of 1024, 1024 and 352; spans spans all three
        assertThat(sent).extracting(Sent::size).containsExactly(1024, 1024, 352);
        assertThat(sent.get(0).parts()).hasSize(1);
        assertThat(sent.get(0).parts().get(0).getFilesList()).containsExactly(fi("meta", 0, 300), fi("spans", 300, 724));
        assertThat(sent.get(1).parts().get(0).getFilesList()).containsExactly(fi("spans", 0, 1024));
        List<PartInfo> last = sent.get(2).parts();
        assertThat(last).extracting(PartInfo::getPartType).containsExactly("core", "duration");
        assertThat(last.get(0).getFilesList()).containsExactly(fi("spans", 0, 252));
        assertThat(last.get(1).getFilesList()).containsExactly(fi("data", 252, 100));
        // every PartInfo carries its part's full metadata
        assertThat(last.get(0).getMinTimestamp()).isEqualTo(5);
        assertThat(last.get(1).getMinKey()).isEqualTo(3);
    }

    @Test
    void shouldSendNothingForAnEmptyBundle() throws Exception {
        packer.write(0, "meta", ByteBuffer.allocate(0));
        packer.finish();

        assertThat(sent).isEmpty();
    }

    @Test
    void shouldRefuseToRevisitAPartItLeft() throws Exception {
        packer.write(1, "data", ByteBuffer.allocate(10));

        assertThatThrownBy(() -> packer.write(0, "meta", ByteBuffer.allocate(10))).hasMessageContaining("revisited");
    }

    @Test
    void shouldWriteTheChecksumAsLowercaseUnpaddedHexOfCrc32Ieee() {
        // "a" has CRC32 e8b7be43; find data whose CRC has a leading zero nibble to see there is no padding
        assertThat(ChunkedSyncSink.checksum(ByteBuffer.wrap("a".getBytes()))).isEqualTo("e8b7be43");
        for (int i = 0; ; i++) {
            byte[] b = Integer.toString(i).getBytes();
            CRC32 crc = new CRC32();
            crc.update(b);
            if (crc.getValue() < 0x1000_0000L) {
                String hex = ChunkedSyncSink.checksum(ByteBuffer.wrap(b));
                assertThat(hex).hasSizeLessThan(8).isEqualTo(Long.toHexString(crc.getValue())).doesNotStartWith("0");
                return;
            }
        }
    }

    @Test
    void shouldMapOnDiskNamesToWireNamesAndBack() {
        assertThat(WireNames.toWire("core", "meta.bin")).isEqualTo("meta");
        assertThat(WireNames.toWire("core", "service_id.t")).isEqualTo("t:service_id");
        assertThat(WireNames.toWire("core", "service_id.tm")).isEqualTo("tm:service_id");
        assertThat(WireNames.toWire("core", "traceID.filter")).isEqualTo("traceID.filter");
        assertThat(WireNames.toWire("core", "tag.type")).isEqualTo("tag.type");
        assertThat(WireNames.toWire("duration", "duration.td")).isEqualTo("td:duration");
        assertThat(WireNames.toWire("duration", "duration.tf")).isEqualTo("tf:duration");
        assertThat(WireNames.toWire("duration", "keys.bin")).isEqualTo("keys");
        for (String notSent : new String[] {"metadata.json", "smeta.bin", ".hidden", "x.tmp"}) {
            assertThat(WireNames.toWire("core", notSent)).as(notSent).isNull();
        }
        assertThat(WireNames.toWire("duration", "manifest.json")).isNull();
        assertThat(WireNames.toDisk("core", "tm:service_id")).isEqualTo("service_id.tm");
        assertThat(WireNames.toDisk("duration", "td:duration")).isEqualTo("duration.td");
        assertThat(WireNames.toDisk("duration", "traceID.filter")).isNull();
        assertThat(WireNames.toDisk("core", "smeta")).isNull();
    }

    @Test
    void shouldFallBackToTheSegmentForASidxPartWithoutTimestamps() throws Exception {
        PartInfo p = PartMeta.toPartInfo(7, "timestamp", Map.of("segmentID", 1_755_734_400_000_000_000L, "minKey", -4));

        assertThat(p.getMinTimestamp()).isEqualTo(1_755_734_400_000_000_000L);
        assertThat(p.getMaxTimestamp()).isEqualTo(1_755_734_400_000_000_000L);
        assertThat(p.getMinKey()).isEqualTo(-4);
    }

    @Test
    void shouldRefuseMetadataWhoseNumbersAreNotIntegers() {
        assertThatThrownBy(() -> PartMeta.toPartInfo(7, "core", Map.of("minTimestamp", "soon")))
            .isInstanceOf(BanyanSyncException.class).hasMessageContaining("minTimestamp").hasMessageContaining("metadata.json");
    }

    private static FileInfo fi(String name, int offset, int size) {
        return FileInfo.newBuilder().setName(name).setOffset(offset).setSize(size).build();
    }
}
