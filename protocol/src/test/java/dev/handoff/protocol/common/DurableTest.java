package dev.handoff.protocol.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableTest {

    @TempDir
    Path tmp;

    @Test
    void shouldFsyncTheParentOfEveryCreatedLevelTopDownWhenCreatingDirectories() throws Exception {
        // Given a directory three levels below an existing one
        List<Path> synced = new ArrayList<>();
        Path dir = tmp.resolve("a").resolve("b").resolve("c");

        // When it is created
        Durable.createDirectories(dir, synced::add);

        // Then it exists and each new level's parent was fsynced, the outermost first
        assertThat(dir).isDirectory();
        assertThat(synced).containsExactly(tmp, tmp.resolve("a"), tmp.resolve("a").resolve("b"));
    }

    @Test
    void shouldFsyncOnlyTheNewLevelsWhenPartOfThePathExists() throws Exception {
        // Given a/ already there
        Files.createDirectories(tmp.resolve("a"));
        List<Path> synced = new ArrayList<>();

        // When a/b/ is created, and then again
        Durable.createDirectories(tmp.resolve("a").resolve("b"), synced::add);
        Durable.createDirectories(tmp.resolve("a").resolve("b"), synced::add);

        // Then only a/ (the parent of the one new level) was fsynced, once
        assertThat(synced).containsExactly(tmp.resolve("a"));
    }

    @Test
    void shouldResolveARelativeDirectorySoItsParentCanBeFsynced() throws Exception {
        // Given a relative path (the parent of its first segment is null until it is made absolute)
        Path relative = Path.of("target", "durable-test-" + System.nanoTime());
        List<Path> synced = new ArrayList<>();
        try {
            // When it is created
            Durable.createDirectories(relative, synced::add);
            // Then the parent fsynced is the absolute one
            assertThat(synced).containsExactly(relative.toAbsolutePath().getParent());
        } finally {
            Files.deleteIfExists(relative);
        }
    }

    @Test
    void shouldDeleteATreeWithoutFollowingLinksAndAcceptAMissingRoot() throws Exception {
        // Given a tree with nested files and a link to a directory outside it
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("kept"), "kept");
        Path root = Files.createDirectories(tmp.resolve("root").resolve("a").resolve("b")).getParent().getParent();
        Files.writeString(root.resolve("a").resolve("b").resolve("f"), "f");
        Files.writeString(root.resolve("g"), "g");
        Files.createSymbolicLink(root.resolve("link"), outside);

        // When it is deleted, twice
        Durable.deleteTree(root);
        Durable.deleteTree(root);

        // Then it is gone and what the link pointed to is not
        assertThat(root).doesNotExist();
        assertThat(outside.resolve("kept")).hasContent("kept");
    }

    @Test
    void shouldWriteManyFilesAtomicallyWithTheirTempFilesAndDirectoriesFsyncedTogether() throws Exception {
        // Given two directories, one holding an old version of a file
        Path a = Files.createDirectories(tmp.resolve("a"));
        Path b = Files.createDirectories(tmp.resolve("b"));
        Files.writeString(a.resolve("m.json"), "old");
        java.util.Map<Path, byte[]> contents = new java.util.LinkedHashMap<>();
        contents.put(a.resolve("m.json"), "new-a".getBytes());
        contents.put(a.resolve("n.json"), "new-n".getBytes());
        contents.put(b.resolve("m.json"), "new-b".getBytes());

        // When all three are written at once
        try (Fsyncs fsyncs = Fsyncs.parallel(4, "test-fsync")) {
            Durable.writeAllAtomically(contents, fsyncs);

            // Then each holds its new bytes, no temp file is left, and 3 files + 2 directories were fsynced
            assertThat(a.resolve("m.json")).hasContent("new-a");
            assertThat(a.resolve("n.json")).hasContent("new-n");
            assertThat(b.resolve("m.json")).hasContent("new-b");
            try (var left = Files.list(a)) {
                assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("m.json", "n.json");
            }
            assertThat(fsyncs.issued()).isEqualTo(5);
        }
    }

    @Test
    void shouldReplaceAFileAtomicallyOverALongerTempFileACrashLeft() throws Exception {
        // Given a file and a longer temp file of an earlier write that a crash interrupted
        Path target = tmp.resolve("manifest.json");
        Files.writeString(target, "old");
        Files.writeString(tmp.resolve("manifest.json.tmp"), "a much longer leftover that must not survive");

        // When it is written atomically
        Durable.writeAtomically(target, "new".getBytes());

        // Then it holds exactly the new bytes and no temp file is left
        assertThat(target).hasContent("new");
        try (var left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("manifest.json");
        }
    }
}
