package dev.handoff.protocol;

import dev.handoff.protocol.json.HexPartId;
import java.nio.file.Path;

/** Identity of one part bundle. String form {@code liaison/group/shard/partId}. */
public record PartKey(String liaison, String group, int shard, @HexPartId long partId) implements Comparable<PartKey> {

    public PartKey {
        Names.requireName("liaison", liaison);
        Names.requireName("group", group);
        Names.nonNegative("shard", shard);
    }

    /** Parses {@code liaison/group/shard/partId}, naming the part at fault. */
    public static PartKey parse(String text) {
        String[] parts = Names.required("part", text).split("/", -1);
        if (parts.length != 4) {
            throw new InvalidFieldException("part", text, "liaison/group/shard/partId");
        }
        int shard;
        try {
            shard = Integer.parseInt(parts[2]);
        } catch (NumberFormatException e) {
            throw new InvalidFieldException("shard", parts[2], "a number 0-2147483647");
        }
        return new PartKey(parts[0], parts[1], shard, PartIds.parseHex("partId", parts[3]));
    }

    /** The Kafka key of this bundle's enqueue records: {@code group/shard}. */
    public String groupShard() {
        return group + "/" + shard;
    }

    public String partIdHex() {
        return PartIds.toHex(partId);
    }

    /**
     * Where this part lives below its liaison's directory: {@code <parent>/<group>/<shard>/<partIdHex>}, the
     * layout of the producer's store, the data node's {@code parts/<liaison>/} and a liaison's own data. Every
     * segment is a validated name or a number, so the result stays below {@code parent}.
     */
    public Path directoryUnder(Path parent) {
        return parent.resolve(group).resolve(Integer.toString(shard)).resolve(partIdHex());
    }

    @Override
    public int compareTo(PartKey o) {
        int c = liaison.compareTo(o.liaison);
        if (c == 0) {
            c = group.compareTo(o.group);
        }
        if (c == 0) {
            c = Integer.compare(shard, o.shard);
        }
        return c != 0 ? c : Long.compareUnsigned(partId, o.partId);
    }

    @Override
    public String toString() {
        return liaison + "/" + group + "/" + shard + "/" + partIdHex();
    }
}
