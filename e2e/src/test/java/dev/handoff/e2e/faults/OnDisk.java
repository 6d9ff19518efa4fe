package dev.handoff.e2e.faults;

import dev.handoff.protocol.common.VanishingEntriesVisitor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * What lies in a directory, read with plain file I/O and {@link CRC32C}, none of the code under test: the fault
 * suite's check of what a data node made visible, and of what a part store really holds. Stateless.
 */
final class OnDisk {
    private OnDisk() {
    }

    /** The bundles visible under a data node's {@code parts/} and every way one differs from its liaison files. */
    record Visible(int bundles, List<String> problems) {
    }

    /**
     * Compares every bundle under {@code parts/<liaison>/<group>/<shard>/<partIdHex>} with the liaison's part
     * directory {@code liaisonRoot/<partIdHex>}: the same {@code <type>/<file>} names, sizes and CRC32C.
     */
    static Visible compare(Path parts, Path liaisonRoot) throws IOException {
        List<String> problems = new ArrayList<>();
        int bundles = 0;
        if (!Files.isDirectory(parts)) {
            return new Visible(0, problems);
        }
        try (Stream<Path> dirs = Files.find(parts, 4, (p, a) -> a.isDirectory() && parts.relativize(p).getNameCount() == 4)) {
            for (Path bundle : dirs.toList()) {
                bundles++;
                Map<String, String> visible = files(bundle);
                Map<String, String> liaison = files(liaisonRoot.resolve(bundle.getFileName().toString()));
                if (!visible.equals(liaison)) {
                    problems.add(parts.relativize(bundle) + ": " + visible + " is not the liaison's " + liaison);
                }
            }
        }
        return new Visible(bundles, problems);
    }

    /**
     * Sum of the sizes of the part files in a producer store ({@code <liaison>/<group>/<shard>/<partIdHex>/<type>/
     * <file>}), manifests aside: what the store limit is about. Sampled while the producer works: an entry that
     * vanishes during the walk (a manifest's temporary file renamed, a failed enqueue removed) takes no space
     * any more and is not counted.
     */
    static long partFileBytes(Path store) throws IOException {
        if (!Files.isDirectory(store)) {
            return 0;
        }
        long[] sum = {0};
        Files.walkFileTree(store, new VanishingEntriesVisitor() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile() && store.relativize(file).getNameCount() == 6) {
                    sum[0] += attrs.size();
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return sum[0];
    }

    /** Relative {@code type/file} → "size:crc32c" of every file under a bundle directory. */
    private static Map<String, String> files(Path bundle) throws IOException {
        Map<String, String> out = new TreeMap<>();
        if (!Files.isDirectory(bundle)) {
            return out;
        }
        try (Stream<Path> paths = Files.walk(bundle)) {
            for (Path f : paths.filter(Files::isRegularFile).toList()) {
                out.put(bundle.relativize(f).toString(), Files.size(f) + ":" + Long.toHexString(crc32c(f)));
            }
        }
        return out;
    }

    private static long crc32c(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buf); n > 0; n = in.read(buf)) {
                crc.update(buf, 0, n);
            }
        }
        return crc.getValue();
    }
}
