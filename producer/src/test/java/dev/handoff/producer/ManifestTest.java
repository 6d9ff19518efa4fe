package dev.handoff.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.protocol.FileEntry;
import dev.handoff.protocol.InvalidFieldException;
import dev.handoff.protocol.InvalidRecordException;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.PartTypeEntry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ManifestTest {
    private static final PartKey PART = new PartKey("l1", "metrics", 2, 0xffffffffffffff01L);
    private static final List<PartTypeEntry> TYPES = List.of(
        new PartTypeEntry("core", List.of(new FileEntry("a.bin", 10, 0xffffffffL), new FileEntry("b.bin", 0, 0)),
            Map.of("compressedSizeBytes", 10L, "minTimestamp", 5L)),
        new PartTypeEntry("sidx_a", List.of(new FileEntry("k.bin", 7, 42)), Map.of()));

    @Test
    void shouldRoundTripThroughJsonWithTheSameContent() throws Exception {
        // Given a manifest with targets, one published, a release and a completion
        Manifest m = Manifest.fresh(PART, TYPES, List.of(new Manifest.Target("a:1", 100, false), new Manifest.Target("b:2", 200, false)))
            .withPublished(Set.of("a:1")).withReleased().withCompleted("a:1");

        // When it is written and read back
        byte[] json = m.toJson();
        Manifest back = Manifest.fromJson(json);

        // Then it is equal, with the part id as hex and the version field
        assertThat(back).isEqualTo(m);
        String text = new String(json, StandardCharsets.UTF_8);
        assertThat(text).contains("\"v\":1").contains("\"partId\":\"ffffffffffffff01\"");
        assertThat(back.bytes()).isEqualTo(17);
        assertThat(back.unpublished()).containsExactly("b:2");
    }

    @Test
    void shouldRefuseAManifestWhoseBytesDoNotMatchItsFiles() {
        // Given / When / Then
        assertThatThrownBy(() -> new Manifest(PART, TYPES, 99, List.of(new Manifest.Target("a:1", 1, false)), false, List.of()))
            .isInstanceOf(InvalidFieldException.class).hasMessageStartingWith("bytes 99");
        assertThatThrownBy(() -> Manifest.fromJson("{\"v\":1,\"part\":{}}".getBytes(StandardCharsets.UTF_8)))
            .isInstanceOf(InvalidRecordException.class);
    }

    @Test
    void shouldAddOnlyNewTargetsAndWaitForTheirCompletionBeforeDeleting() {
        // Given a manifest for a:1, released and completed by a:1
        Manifest m = Manifest.fresh(PART, TYPES, List.of(new Manifest.Target("a:1", 1, true))).withReleased().withCompleted("a:1");
        assertThat(m.deletable()).isTrue();

        // When a:1 and c:3 are added
        Manifest added = m.withTargetsAdded(List.of("a:1", "c:3"), 50);

        // Then only c:3 is new and unpublished, and the bundle waits for c:3's completion
        assertThat(added.targetNodes()).containsExactly("a:1", "c:3");
        assertThat(added.unpublished()).containsExactly("c:3");
        assertThat(added.targets().get(1).enqueuedAt()).isEqualTo(50);
        assertThat(added.deletable()).isFalse();
        assertThat(added.withCompleted("c:3").deletable()).isTrue();
        assertThat(m.withTargetsAdded(List.of("a:1"), 60)).isSameAs(m);
    }

    @Test
    void shouldBeDeletableOnlyWhenReleasedAndEveryTargetCompleted() {
        // Given a bundle for two nodes
        Manifest m = Manifest.fresh(PART, TYPES, List.of(new Manifest.Target("a:1", 1, true), new Manifest.Target("b:2", 1, true)));

        // When / Then
        assertThat(m.withReleased().deletable()).isFalse();
        assertThat(m.withCompleted("a:1").withCompleted("b:2").deletable()).isFalse();
        assertThat(m.withCompleted("a:1").withReleased().deletable()).isFalse();
        assertThat(m.withCompleted("a:1").withCompleted("b:2").withReleased().deletable()).isTrue();
    }

    @Test
    void shouldReplaceARetargetedTargetByItsStandInAndWaitForTheStandIn() {
        // Given a released bundle for a:1 (completed) and old:2
        Manifest m = Manifest.fresh(PART, TYPES, List.of(new Manifest.Target("a:1", 1, true), new Manifest.Target("old:2", 1, true)))
            .withCompleted("a:1").withReleased();

        // When old:2's record was moved to new:3
        Manifest moved = m.withRetargeted("old:2", "new:3", 70);

        // Then old:2 is done, new:3 is a target whose record is published (no second publish), and the bundle waits
        assertThat(moved.completed()).contains("old:2");
        assertThat(moved.targetNodes()).containsExactly("a:1", "old:2", "new:3");
        assertThat(moved.unpublished()).isEmpty();
        assertThat(moved.targets().get(2).enqueuedAt()).isEqualTo(70);
        assertThat(moved.deletable()).isFalse();
        assertThat(moved.withCompleted("new:3").deletable()).isTrue();
        // And the same retarget read again changes nothing
        assertThat(moved.withRetargeted("old:2", "new:3", 80)).isEqualTo(moved);
    }

    @Test
    void shouldCountAStandInsCompletionThatArrivedBeforeTheRetarget() {
        // Given a released bundle for old:2 whose stand-in new:3 completed before old:2's RETARGETED was read
        Manifest m = Manifest.fresh(PART, TYPES, List.of(new Manifest.Target("old:2", 1, true))).withReleased()
            .withCompleted("new:3");
        // Then the early completion alone deletes nothing: old:2 is still pending
        assertThat(m.deletable()).isFalse();
        // When the retarget is read, the bundle is deletable
        assertThat(m.withRetargeted("old:2", "new:3", 70).deletable()).isTrue();
    }
}
