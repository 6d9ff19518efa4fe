package dev.handoff.producer;

import dev.handoff.protocol.InvalidFieldException;
import dev.handoff.protocol.InvalidRecordException;
import dev.handoff.protocol.Names;
import dev.handoff.protocol.NodeAddress;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.PartTypeEntry;
import dev.handoff.protocol.json.JsonCodec;
import dev.handoff.protocol.json.OptionalField;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the store knows about one stored bundle, written as {@code manifest.json} beside its type
 * directories. Immutable; every change writes a new manifest atomically.
 *
 * @param part      the bundle's identity
 * @param types     types in order, files with size and CRC32C as stored
 * @param bytes     sum of all file sizes, counted once in the store's size
 * @param targets   every node the bundle was enqueued for, with when and whether its record is published
 * @param released  the topology released this bundle (a Release record arrived)
 * @param completed nodes whose completion (DELIVERED, DUPLICATE, TRUNCATED, EXPIRED or RETARGETED) arrived: targets,
 *                  and nodes a target was retargeted to whose completion came before the retarget's
 */
record Manifest(
    PartKey part,
    List<PartTypeEntry> types,
    long bytes,
    List<Target> targets,
    @OptionalField Boolean released,
    @OptionalField List<String> completed) {

    static final JsonCodec<Manifest> CODEC = JsonCodec.of(Manifest.class);

    public Manifest {
        Names.required("part", part);
        types = List.copyOf(Names.required("types", types));
        long sum = types.stream().mapToLong(PartTypeEntry::bytes).sum();
        if (sum != bytes) {
            throw new InvalidFieldException("bytes", bytes, "must equal the sum of the file sizes (" + sum + ")");
        }
        targets = List.copyOf(Names.required("targets", targets));
        Set<String> seen = new HashSet<>();
        for (Target t : targets) {
            if (!seen.add(t.node())) {
                throw new InvalidFieldException("targets.node", t.node(), "each node once");
            }
        }
        released = released != null && released;
        completed = completed == null ? List.of() : List.copyOf(new LinkedHashSet<>(completed));
        completed.forEach(n -> NodeAddress.require("completed", n));
    }

    /** One node the bundle was enqueued for. */
    public record Target(String node, long enqueuedAt, boolean published) {
        public Target {
            NodeAddress.require("targets.node", node);
            Names.nonNegative("targets.enqueuedAt", enqueuedAt);
        }
    }

    public static Manifest fresh(PartKey part, List<PartTypeEntry> types, List<Target> targets) {
        return new Manifest(part, types, types.stream().mapToLong(PartTypeEntry::bytes).sum(), targets, false, List.of());
    }

    public List<String> targetNodes() {
        return targets.stream().map(Target::node).toList();
    }

    /** Targets whose final completion has not arrived: the nodes whose quota this bundle uses. */
    public List<String> pendingNodes() {
        return targets.stream().map(Target::node).filter(n -> !completed.contains(n)).toList();
    }

    public List<String> unpublished() {
        return targets.stream().filter(t -> !t.published()).map(Target::node).toList();
    }

    /**
     * Adds the nodes not yet targeted. An earlier release stays recorded: the topology emits one Release
     * per bundle, and deletion also waits for every target's completion, which protects the new nodes.
     */
    public Manifest withTargetsAdded(List<String> nodes, long now) {
        List<Target> all = new ArrayList<>(targets);
        Set<String> known = new HashSet<>(targetNodes());
        boolean added = false;
        for (String n : nodes) {
            if (known.add(n)) {
                all.add(new Target(n, now, false));
                added = true;
            }
        }
        return added ? new Manifest(part, types, bytes, all, released, completed) : this;
    }

    public Manifest withPublished(Set<String> nodes) {
        List<Target> all = targets.stream()
            .map(t -> nodes.contains(t.node()) ? new Target(t.node(), t.enqueuedAt(), true) : t).toList();
        return new Manifest(part, types, bytes, all, released, completed);
    }

    /** The same manifest with {@code nodes}' records marked not published: the next start publishes them again. */
    public Manifest withUnpublished(Set<String> nodes) {
        List<Target> all = targets.stream()
            .map(t -> nodes.contains(t.node()) ? new Target(t.node(), t.enqueuedAt(), false) : t).toList();
        return new Manifest(part, types, bytes, all, released, completed);
    }

    public Manifest withReleased() {
        return new Manifest(part, types, bytes, targets, true, completed);
    }

    /**
     * {@code node}'s record was moved to {@code to} ({@code handoff retarget}): {@code node} is done, and {@code to}
     * becomes a target whose record is published (the replayer enqueued it in the same transaction). Its completion
     * may have arrived first, on another partition: it is then in {@link #completed()} already.
     */
    public Manifest withRetargeted(String node, String to, long at) {
        Manifest m = completed.contains(node) ? this : withCompleted(node);
        if (m.targetNodes().contains(to)) {
            return m;
        }
        List<Target> all = new ArrayList<>(m.targets);
        all.add(new Target(to, at, true));
        return new Manifest(part, types, bytes, all, released, m.completed);
    }

    public Manifest withCompleted(String node) {
        List<String> all = new ArrayList<>(completed);
        all.add(node);
        return new Manifest(part, types, bytes, targets, released, all);
    }

    /** Deletable once released and every target has a completion that does not need the files again. */
    public boolean deletable() {
        return released && completed.containsAll(targetNodes());
    }

    public byte[] toJson() {
        return CODEC.encode(this);
    }

    public static Manifest fromJson(byte[] json) throws InvalidRecordException {
        return CODEC.decode(json);
    }
}
