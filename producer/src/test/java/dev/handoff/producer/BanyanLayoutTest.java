package dev.handoff.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.protocol.InvalidFieldException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BanyanLayoutTest {
    @TempDir
    Path root;

    private Path part(String group, String shardDir, String id, String... rules) throws Exception {
        Path core = Files.createDirectories(root.resolve(group).resolve(shardDir).resolve(id));
        Files.write(core.resolve("primary.bin"), new byte[] {1});
        Files.writeString(core.resolve("metadata.json"), "{\"minTimestamp\":1755765600123456789,\"totalCount\":3}");
        for (String rule : rules) {
            Path sidx = Files.createDirectories(root.resolve(group).resolve(shardDir).resolve("sidx").resolve(rule).resolve(id));
            Files.write(sidx.resolve("data.bin"), new byte[] {2});
            Files.writeString(sidx.resolve("manifest.json"), "{\"segmentID\":1755734400000000000}");
        }
        return core;
    }

    @Test
    void shouldTakeGroupShardAndIdFromThePathAndJoinEverySidxPartOfTheIdSortedByType() throws Exception {
        Path core = part("sw_trace", "shard-3", "0000000000000017", "timestamp", "duration");
        part("sw_trace", "shard-3", "0000000000000018", "zipkin");   // another id: not in this bundle

        Bundle b = BanyanLayout.bundle("liaison-0", core, null, null);

        assertThat(b.part().toString()).isEqualTo("liaison-0/sw_trace/3/0000000000000017");
        assertThat(b.types()).extracting(Bundle.Type::type).containsExactly("core", "duration", "timestamp");
        assertThat(b.types().get(0).meta()).containsEntry("minTimestamp", 1755765600123456789L).containsEntry("totalCount", 3L);
        assertThat(b.types().get(1).directory()).isEqualTo(root.resolve("sw_trace/shard-3/sidx/duration/0000000000000017"));
        assertThat(b.types().get(2).meta()).containsEntry("segmentID", 1755734400000000000L);
    }

    @Test
    void shouldLetGroupAndShardBeOverridden() throws Exception {
        Path core = part("data", "somewhere", "00000000000000aa");

        Bundle b = BanyanLayout.bundle("l", core, "sw_trace", 7);

        assertThat(b.part().toString()).isEqualTo("l/sw_trace/7/00000000000000aa");
    }

    @Test
    void shouldRefuseAPathOutsideAShardDirectoryAPartWithoutMetadataOrABadIdNamingTheRule() throws Exception {
        Path core = part("g", "not-a-shard", "00000000000000aa");
        assertThatThrownBy(() -> BanyanLayout.bundle("l", core, null, null)).isInstanceOf(InvalidFieldException.class)
            .hasMessageContaining("shard-<N>");

        Path unpublished = part("g", "shard-0", "00000000000000bb");
        Files.delete(unpublished.resolve("metadata.json"));
        assertThatThrownBy(() -> BanyanLayout.bundle("l", unpublished, null, null)).hasMessageContaining("metadata.json");

        Path badId = Files.createDirectories(root.resolve("g/shard-0/xyz"));
        assertThatThrownBy(() -> BanyanLayout.bundle("l", badId, null, null)).hasMessageContaining("16 lowercase hex digits");
    }
}
