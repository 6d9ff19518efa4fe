package dev.handoff.protocol;

import dev.handoff.protocol.json.HexPartId;
import dev.handoff.protocol.json.OptionalField;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One bundle handed off to one node: written to {@code <prefix>.node.<token(node)>} with key
 * {@code group/shard}. {@code targets} lists every node the bundle was enqueued for, {@code source}
 * is the liaison's part-store gRPC address, {@code bytes} the sum of all file sizes.
 */
public record EnqueueRecord(
    String node,
    List<String> targets,
    String liaison,
    String source,
    String group,
    int shard,
    @HexPartId long partId,
    List<PartTypeEntry> types,
    long bytes,
    long enqueuedAt,
    @OptionalField Long expiresAt) {

    public EnqueueRecord {
        NodeAddress.require("node", node);
        targets = List.copyOf(Names.required("targets", targets));
        Set<String> seen = new HashSet<>();
        for (String t : targets) {
            NodeAddress.require("targets", t);
            if (!seen.add(t)) {
                throw new InvalidFieldException("targets", t, "each node once");
            }
        }
        if (!seen.contains(node)) {
            throw new InvalidFieldException("targets", String.join(",", targets), "must contain node " + node);
        }
        Names.requireName("liaison", liaison);
        NodeAddress.require("source", source);
        Names.requireName("group", group);
        Names.nonNegative("shard", shard);
        types = List.copyOf(Names.required("types", types));
        if (types.isEmpty()) {
            throw new InvalidFieldException("types", "[]", "a bundle has at least one part type");
        }
        Set<String> typeNames = new HashSet<>();
        long sum = 0;
        for (PartTypeEntry t : types) {
            if (!typeNames.add(t.type())) {
                throw new InvalidFieldException("types.type", t.type(), "each part type once per bundle");
            }
            sum += t.bytes();
        }
        if (bytes != sum) {
            throw new InvalidFieldException("bytes", bytes, "must equal the sum of the file sizes (" + sum + ")");
        }
        Names.nonNegative("enqueuedAt", enqueuedAt);
        if (expiresAt != null && expiresAt < enqueuedAt) {
            throw new InvalidFieldException("expiresAt", expiresAt, "null or not before enqueuedAt " + enqueuedAt);
        }
    }

    public PartKey part() {
        return new PartKey(liaison, group, shard, partId);
    }

    /** The same bundle addressed to another of its targets. */
    public EnqueueRecord forNode(String other) {
        return new EnqueueRecord(other, targets, liaison, source, group, shard, partId, types, bytes, enqueuedAt, expiresAt);
    }

    /**
     * This bundle enqueued for {@code to}, the node that replaces this record's node: its targets gain {@code to}
     * and keep the replaced node, whose completion (RETARGETED) counts for it.
     */
    public EnqueueRecord retargeted(String to) {
        return new EnqueueRecord(to, withTarget(targets, to), liaison, source, group, shard, partId, types, bytes,
            enqueuedAt, expiresAt);
    }

    /** {@code targets} with {@code node} added at the end, unless it is one of them already. */
    public static List<String> withTarget(List<String> targets, String node) {
        if (targets.contains(node)) {
            return targets;
        }
        List<String> all = new java.util.ArrayList<>(targets);
        all.add(node);
        return List.copyOf(all);
    }

    public int fileCount() {
        int n = 0;
        for (PartTypeEntry t : types) {
            n += t.files().size();
        }
        return n;
    }
}
