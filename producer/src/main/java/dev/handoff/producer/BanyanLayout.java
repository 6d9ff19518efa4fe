package dev.handoff.producer;

import dev.handoff.protocol.InvalidFieldException;
import dev.handoff.protocol.Names;
import dev.handoff.protocol.PartIds;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.grpc.ProtoMapping;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A part in a BanyanDB liaison's write queue as one {@link Bundle}: the core part
 * {@code <root>/<group>/shard-<N>/<partId>/} (type {@code core}, meta = its {@code metadata.json}) and every sidx
 * part of the same id {@code <root>/<group>/shard-<N>/sidx/<rule>/<partId>/} (type = the rule name, meta = its
 * {@code manifest.json}), sorted by type name as BanyanDB's sender sorts (id, part_type). Stateless.
 */
public final class BanyanLayout {
    public static final String CORE = "core";
    private static final Pattern SHARD = Pattern.compile("shard-(\\d{1,9})");

    private BanyanLayout() {
    }

    /** As {@link #bundle}, with a part that cannot be read refused as a {@link StoreIoException} naming it. */
    static Bundle readable(String liaison, Path partDir, String group, Integer shard) throws StoreIoException {
        try {
            return bundle(liaison, partDir, group, shard);
        } catch (IOException e) {
            throw new StoreIoException("cannot read the BanyanDB part " + partDir, e);
        }
    }

    /**
     * Reads the bundle of core part directory {@code partDir}.
     *
     * @param group null: the name of the directory above {@code shard-<N>}
     * @param shard null: {@code N} of the parent directory {@code shard-<N>}
     * @throws InvalidFieldException naming {@code part-dir} (or {@code group}/{@code shard}) when the layout is not BanyanDB's
     */
    public static Bundle bundle(String liaison, Path partDir, String group, Integer shard) throws IOException {
        Path core = partDir.toAbsolutePath().normalize();
        if (!Files.isDirectory(core)) {
            throw new InvalidFieldException("part-dir", core.toString(), "an existing directory <root>/<group>/shard-<N>/<partId>");
        }
        long partId = PartIds.parseHex("part-dir (its name is the part id)", core.getFileName().toString());
        Path shardDir = core.getParent();
        if (shard == null) {
            Matcher m = SHARD.matcher(shardDir == null ? "" : shardDir.getFileName().toString());
            if (!m.matches()) {
                throw new InvalidFieldException("part-dir", core.toString(),
                    "inside a shard-<N> directory (<root>/<group>/shard-<N>/<partId>), or give the shard");
            }
            shard = Integer.parseInt(m.group(1));
        }
        if (group == null) {
            group = shardDir.getParent() == null ? "" : shardDir.getParent().getFileName().toString();
        }
        PartKey key = new PartKey(liaison, Names.requireName("group", group), shard, partId);
        List<Bundle.Type> types = new ArrayList<>();
        types.add(new Bundle.Type(CORE, core, meta(core, "metadata.json")));
        Path sidx = shardDir.resolve("sidx");
        if (Files.isDirectory(sidx)) {
            try (DirectoryStream<Path> rules = Files.newDirectoryStream(sidx, Files::isDirectory)) {
                for (Path rule : rules) {
                    Path dir = rule.resolve(core.getFileName());
                    if (Files.isDirectory(dir)) {
                        String name = Names.requireName("sidx rule", rule.getFileName().toString());
                        if (name.equals(CORE)) {
                            throw new InvalidFieldException("sidx rule", name, "a sidx part cannot be named core");
                        }
                        types.add(new Bundle.Type(name, dir, meta(dir, "manifest.json")));
                    }
                }
            }
        }
        types.sort(Comparator.comparing(Bundle.Type::type));
        return new Bundle(key, types);
    }

    private static java.util.Map<String, Object> meta(Path dir, String file) throws IOException {
        Path json = dir.resolve(file);
        if (!Files.isRegularFile(json)) {
            throw new InvalidFieldException("part-dir", dir.toString(), "a BanyanDB part has its " + file
                + " (written last: a part without it is not published yet)");
        }
        return ProtoMapping.meta(dir + "/" + file, Files.readString(json));
    }
}
