package dev.handoff.producer;

import dev.handoff.protocol.FileEntry;
import dev.handoff.protocol.InvalidRecordException;
import dev.handoff.protocol.Names;
import dev.handoff.protocol.PartTypeEntry;
import dev.handoff.protocol.common.Checksums;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a part store's files for {@link StoreCheck} without changing anything: every manifest under
 * {@code <root>/<liaison>/<group>/<shard>/<partIdHex>/} (unreadable ones listed with the reason), and whether a bundle's
 * files on disk still have the sizes and CRC32C its manifest lists (read in 64 KiB blocks).
 */
final class StoreScan {
    /** One manifest file that does not parse (or describes a part that belongs elsewhere). */
    record Unreadable(Path manifest, String reason) {
    }

    record Result(List<Manifest> manifests, List<Unreadable> unreadable) {
    }

    private StoreScan() {
    }

    /** Every liaison directory under {@code root}, each bundle with a manifest. */
    static Result scan(Path root) throws IOException {
        List<Manifest> manifests = new ArrayList<>();
        List<Unreadable> unreadable = new ArrayList<>();
        for (Path liaison : children(root)) {
            String name = liaison.getFileName().toString();
            if (!Files.isDirectory(liaison) || !Names.isValid(name)) {
                continue;
            }
            StoreLayout layout = new StoreLayout(root, name);
            for (Path group : children(liaison)) {
                if (!Files.isDirectory(group) || !Names.isValid(group.getFileName().toString())) {
                    continue;
                }
                for (Path shard : children(group)) {
                    if (!StoreLayout.isShardDir(shard.getFileName().toString())) {
                        continue;
                    }
                    for (Path bundle : children(shard)) {
                        if (StoreLayout.isPartDir(bundle.getFileName().toString())) {
                            read(layout, bundle, manifests, unreadable);
                        }
                    }
                }
            }
        }
        return new Result(manifests, unreadable);
    }

    private static void read(StoreLayout layout, Path bundle, List<Manifest> manifests, List<Unreadable> unreadable)
        throws IOException {
        Path file = bundle.resolve(StoreLayout.MANIFEST);
        if (!Files.isRegularFile(file)) {
            return; // an enqueue in progress, or one a crash interrupted: the producer removes it at start
        }
        try {
            Manifest m = Manifest.fromJson(Files.readAllBytes(file));
            if (!layout.bundleDir(m.part()).equals(bundle.toAbsolutePath().normalize())) {
                unreadable.add(new Unreadable(file, "describes " + m.part() + ", which belongs elsewhere"));
            } else {
                manifests.add(m);
            }
        } catch (InvalidRecordException | RuntimeException e) {
            unreadable.add(new Unreadable(file, e.getMessage()));
        }
    }

    /**
     * How the bundle's files on disk differ from its manifest (a missing file, another size, or with {@code contents}
     * another CRC32C); empty if not.
     */
    static List<String> differences(Path root, Manifest m, boolean contents) throws IOException {
        StoreLayout layout = new StoreLayout(root, m.part().liaison());
        List<String> out = new ArrayList<>();
        for (PartTypeEntry t : m.types()) {
            for (FileEntry f : t.files()) {
                Path p = layout.file(m.part(), t.type(), f.name());
                String where = t.type() + "/" + f.name();
                try {
                    long size = Files.size(p);
                    if (size != f.size()) {
                        out.add(where + " has " + size + " bytes, the manifest " + f.size());
                    } else if (contents && Checksums.crc32c(p) != f.crc32c()) {
                        out.add(where + " has another CRC32C than the manifest's " + f.crc32c());
                    }
                } catch (java.nio.file.NoSuchFileException e) {
                    out.add(where + " is missing");
                }
            }
        }
        return out;
    }

    private static List<Path> children(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(out::add);
        }
        out.sort(null);
        return out;
    }
}
