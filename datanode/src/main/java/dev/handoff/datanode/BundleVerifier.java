package dev.handoff.datanode;

import dev.handoff.protocol.FileEntry;
import dev.handoff.protocol.PartTypeEntry;
import dev.handoff.protocol.common.Checksums;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Re-reads an applied bundle and compares it with what was expected: every file's size and CRC32C, nothing extra. */
public final class BundleVerifier {
    private BundleVerifier() {
    }

    /**
     * Returns one line per problem ({@code core/data.bin: size 10, expected 12}); empty when the bundle in
     * {@code bundleDir} ({@code <type>/<file>}) holds exactly the expected files with the expected bytes.
     */
    public static List<String> verify(Path bundleDir, List<PartTypeEntry> expected) throws IOException {
        List<String> problems = new ArrayList<>();
        if (!Files.isDirectory(bundleDir)) {
            problems.add(bundleDir + ": no such bundle directory");
            return problems;
        }
        Set<String> expectedTypes = new HashSet<>();
        for (PartTypeEntry type : expected) {
            expectedTypes.add(type.type());
            verifyType(bundleDir.resolve(type.type()), type, problems);
        }
        reportExtra(bundleDir, expectedTypes, "part type", problems);
        return problems;
    }

    private static void verifyType(Path typeDir, PartTypeEntry type, List<String> problems) throws IOException {
        if (!Files.isDirectory(typeDir)) {
            problems.add(type.type() + ": missing part type");
            return;
        }
        Set<String> names = new HashSet<>();
        for (FileEntry file : type.files()) {
            names.add(file.name());
            Path path = typeDir.resolve(file.name());
            String label = type.type() + "/" + file.name();
            if (!Files.isRegularFile(path)) {
                problems.add(label + ": missing file");
                continue;
            }
            long size = Files.size(path);
            if (size != file.size()) {
                problems.add(label + ": size " + size + ", expected " + file.size());
                continue;
            }
            long crc = Checksums.crc32c(path);
            if (crc != file.crc32c()) {
                problems.add(label + String.format(": CRC32C 0x%08x, expected 0x%08x", crc, file.crc32c()));
            }
        }
        reportExtra(typeDir, names, type.type() + "/ file", problems);
    }

    private static void reportExtra(Path dir, Set<String> expected, String what, List<String> problems)
        throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (!expected.contains(entry.getFileName().toString())) {
                    problems.add("unexpected " + what + " " + entry.getFileName());
                }
            }
        }
    }
}
