package dev.handoff.producer;

import dev.handoff.protocol.InvalidFieldException;
import dev.handoff.protocol.InvalidNameException;
import dev.handoff.protocol.Names;
import dev.handoff.protocol.PartKey;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Where everything lives in the part store:
 * {@code <root>/<liaison>/<group>/<shard>/<partIdHex>/<type>/<file>} and
 * {@code <root>/<liaison>/<group>/<shard>/<partIdHex>/manifest.json}; a bundle being deleted is
 * first renamed to {@code <partIdHex>.deleting}. Every segment is validated again here, so no path
 * is ever built from an unchecked string. Immutable and thread-safe.
 */
final class StoreLayout {
    public static final String MANIFEST = "manifest.json";
    static final String DELETING_SUFFIX = ".deleting";
    private static final Pattern PART_DIR = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern SHARD_DIR = Pattern.compile("0|[1-9][0-9]{0,9}");

    private final Path root;
    private final String liaison;

    public StoreLayout(Path root, String liaison) {
        this.root = root.toAbsolutePath().normalize();
        this.liaison = Names.requireName("liaison", liaison);
    }

    public Path root() {
        return root;
    }

    public Path liaisonDir() {
        return root.resolve(liaison);
    }

    public Path bundleDir(PartKey part) {
        if (!liaison.equals(part.liaison())) {
            throw new InvalidFieldException("liaison", part.liaison(), "this producer stores parts of liaison " + liaison);
        }
        return inside(part.directoryUnder(liaisonDir()));
    }

    public Path typeDir(PartKey part, String type) {
        return inside(bundleDir(part).resolve(requireTypeName(type)));
    }

    public Path file(PartKey part, String type, String name) {
        return inside(typeDir(part, type).resolve(Names.requireName("files.name", name)));
    }

    public Path manifest(PartKey part) {
        return bundleDir(part).resolve(MANIFEST);
    }

    public Path deleting(PartKey part) {
        Path dir = bundleDir(part);
        return dir.resolveSibling(dir.getFileName() + DELETING_SUFFIX);
    }

    /** A part type name: the name rule, and never the manifest's own name. */
    public static String requireTypeName(String type) {
        Names.requireName("types.type", type);
        if (type.startsWith(MANIFEST)) {
            throw new InvalidNameException("types.type", type, "must not start with \"" + MANIFEST + "\" (the manifest's name)");
        }
        return type;
    }

    static boolean isPartDir(String name) {
        return PART_DIR.matcher(name).matches();
    }

    static boolean isShardDir(String name) {
        return SHARD_DIR.matcher(name).matches();
    }

    static boolean isDeletingDir(String name) {
        return name.endsWith(DELETING_SUFFIX) && isPartDir(name.substring(0, name.length() - DELETING_SUFFIX.length()));
    }

    /** Defence in depth: a resolved path must stay under the liaison's directory. */
    private Path inside(Path p) {
        Path n = p.normalize();
        if (!n.startsWith(liaisonDir()) || n.equals(liaisonDir())) {
            throw new InvalidFieldException("path", p.toString(), "must stay inside " + liaisonDir());
        }
        return n;
    }
}
