package dev.handoff.producer;

import dev.handoff.protocol.Completion;
import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.InvalidRecordException;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.PartTypeEntry;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.common.Durable;
import dev.handoff.protocol.common.KafkaSettings;
import dev.handoff.protocol.json.Codecs;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code handoff store check}: compares a part store with Kafka. Lists bundles no pending record references
 * ({@link Kind#ORPHAN}: every target completed, yet the bundle is kept, as after a lost Release, a topology state loss or
 * a misnamed {@code --topology-application-id}; {@link Kind#LOST}: a published target with neither a pending record
 * nor a completion), records whose bundle is missing ({@link Kind#MISSING}) or differs in sizes or CRC32C
 * ({@link Kind#DIFFERS}), and manifests that do not parse ({@link Kind#UNREADABLE}). Reads the store, then the node
 * topics from the replayer group's committed offsets to their ends, then the completions, in that order, so a record
 * completed while the check runs is seen completed, never lost. Stateless; each call opens and closes its clients.
 */
public final class StoreCheck {
    /** What a finding is about. */
    public enum Kind { ORPHAN, LOST, MISSING, DIFFERS, UNREADABLE }

    /** One finding; {@code part} is null for an unreadable manifest. */
    public record Finding(Kind kind, PartKey part, String detail) {
    }

    /** The findings of one check, and what it looked at. */
    public record Report(int bundles, long pendingRecords, List<Finding> findings) {
        public Map<Kind, Long> counts() {
            Map<Kind, Long> out = new EnumMap<>(Kind.class);
            for (Kind k : Kind.values()) {
                out.put(k, findings.stream().filter(f -> f.kind() == k).count());
            }
            return out;
        }

        public Set<PartKey> parts(Kind kind) {
            return findings.stream().filter(f -> f.kind() == kind).map(Finding::part).collect(Collectors.toSet());
        }

        public boolean clean() {
            return findings.isEmpty();
        }
    }

    private StoreCheck() {
    }

    /**
     * Checks every liaison's bundles under {@code storeDir} against Kafka, reading every stored file for its CRC32C;
     * each Kafka read is bounded by {@code timeout}.
     */
    public static Report check(Path storeDir, KafkaSettings kafka, Topics topics, String replayerGroup, Duration timeout)
        throws IOException {
        return check(storeDir, kafka, topics, replayerGroup, timeout, true);
    }

    /** As {@link #check(Path, KafkaSettings, Topics, String, Duration)}; {@code contents} false checks file sizes only. */
    static Report check(Path storeDir, KafkaSettings kafka, Topics topics, String replayerGroup, Duration timeout,
                        boolean contents) throws IOException {
        StoreScan.Result scan = StoreScan.scan(storeDir);
        Map<PartKey, Manifest> stored = new HashMap<>();
        scan.manifests().forEach(m -> stored.put(m.part(), m));
        List<Finding> findings = new ArrayList<>();
        scan.unreadable().forEach(u -> findings.add(new Finding(Kind.UNREADABLE, null, u.manifest() + ": " + u.reason())));
        Set<String> pending = new HashSet<>();
        long records;
        Map<String, Completion.Outcome> outcomes = new HashMap<>();
        // Per bundle, the nodes its targets were retargeted to: targets too, even before the manifest says so.
        Map<PartKey, Set<String>> standIns = new HashMap<>();
        try (StoreCheckReader reader = new StoreCheckReader(kafka, timeout)) {
            records = reader.pendingRecords(topics, replayerGroup, r -> {
                if (!storedLiaison(storeDir, r.record().liaison())) {
                    return; // another liaison's record: its own store is checked where it runs
                }
                pending.add(key(r.record().part(), r.record().node()));
                Manifest m = stored.get(r.record().part());
                if (m == null && enqueuedSinceScan(storeDir, r.record().part())) {
                    return; // enqueued while the check ran: its manifest came after the scan, its record before the read
                }
                if (m == null) {
                    findings.add(new Finding(Kind.MISSING, r.record().part(), "record " + r.where() + " for "
                        + r.record().node() + ": its bundle is not in the store"));
                } else if (!sameFiles(m.types(), r.record().types())) {
                    findings.add(new Finding(Kind.DIFFERS, m.part(), "record " + r.where() + " for " + r.record().node()
                        + " lists other files, sizes or CRC32C than the stored manifest"));
                }
            });
            reader.completions(topics, c -> {
                if (stored.containsKey(c.part())) {
                    outcomes.put(key(c.part(), c.node()), c.outcome());
                    if (c.retargetedTo() != null) {
                        standIns.computeIfAbsent(c.part(), k -> new java.util.TreeSet<>()).add(c.retargetedTo());
                    }
                }
            });
        }
        for (Manifest m : scan.manifests()) {
            judge(storeDir, m, pending, outcomes, standIns.getOrDefault(m.part(), Set.of()), findings, contents);
        }
        return new Report(scan.manifests().size(), records, List.copyOf(findings));
    }

    private static void judge(Path storeDir, Manifest m, Set<String> pending, Map<String, Completion.Outcome> outcomes,
                              Set<String> standIns, List<Finding> findings, boolean contents) throws IOException {
        List<String> differences = StoreScan.differences(storeDir, m, contents);
        if (!differences.isEmpty()) {
            findings.add(new Finding(Kind.DIFFERS, m.part(), "stored files differ from the manifest: "
                + String.join("; ", differences)));
        }
        boolean needed = false;
        List<String> lost = new ArrayList<>();
        for (Manifest.Target t : m.targets()) {
            Completion.Outcome outcome = outcomes.get(key(m.part(), t.node()));
            if (done(m, t.node(), outcome)) {
                continue;
            }
            needed = true;
            if (t.published() && !pending.contains(key(m.part(), t.node())) && outcome == null) {
                lost.add(t.node());
            }
        }
        for (String standIn : standIns) {
            // A node a target was retargeted to that the manifest does not list yet: its record is in flight.
            if (!m.targetNodes().contains(standIn) && !done(m, standIn, outcomes.get(key(m.part(), standIn)))) {
                needed = true;
            }
        }
        if (!lost.isEmpty()) {
            findings.add(new Finding(Kind.LOST, m.part(), "published for " + String.join(",", lost)
                + ", but no pending record and no completion references it"));
        } else if (!needed) {
            findings.add(new Finding(Kind.ORPHAN, m.part(), "every target (" + String.join(",", m.targetNodes())
                + ") completed, yet the bundle is kept (" + m.bytes() + " bytes): its Release never arrived"));
        }
    }

    /** Whether {@code node} no longer needs {@code m}'s files: completed for good, or retargeted to another node. */
    private static boolean done(Manifest m, String node, Completion.Outcome outcome) {
        return m.completed().contains(node) || (outcome != null && (ReleaseRecords.FINAL.contains(outcome)
            || outcome == Completion.Outcome.RETARGETED));
    }

    /**
     * Repairs what {@code first} found, with the store's producer stopped: deletes each orphan that {@code second} (the
     * same check after a grace period) still finds, and marks lost targets unpublished, so the producer's next start
     * publishes their records again. Returns what it did, one line each.
     */
    public static List<String> repair(Path storeDir, Report first, Report second) throws IOException {
        List<String> done = new ArrayList<>();
        Set<PartKey> orphans = new HashSet<>(first.parts(Kind.ORPHAN));
        orphans.retainAll(second.parts(Kind.ORPHAN));
        for (PartKey part : orphans) {
            BundleStore.deleteFiles(new StoreLayout(storeDir, part.liaison()), part);
            done.add("deleted orphan " + part);
        }
        Set<PartKey> lost = new HashSet<>(first.parts(Kind.LOST));
        lost.retainAll(second.parts(Kind.LOST));
        for (Manifest m : StoreScan.scan(storeDir).manifests()) {
            if (lost.contains(m.part())) {
                Set<String> nodes = new HashSet<>(m.targetNodes());
                nodes.removeAll(m.completed());
                Durable.writeAtomically(new StoreLayout(storeDir, m.part().liaison()).manifest(m.part()),
                    m.withUnpublished(nodes).toJson());
                done.add("marked " + m.part() + " unpublished for " + String.join(",", nodes)
                    + ": the producer publishes it again at its next start");
            }
        }
        return done;
    }

    /**
     * The liaisons of {@code storeDir} whose producer is running (its garbage-collection group has members): a repair
     * must not change a store under a running producer, whose in-memory index and accounting would not follow.
     */
    public static List<String> runningProducers(Path storeDir, KafkaSettings kafka, Duration timeout) throws IOException {
        List<String> running = new ArrayList<>();
        try (StoreCheckReader reader = new StoreCheckReader(kafka, timeout);
             java.nio.file.DirectoryStream<Path> dirs = java.nio.file.Files.newDirectoryStream(storeDir)) {
            for (Path d : dirs) {
                String liaison = d.getFileName().toString();
                if (java.nio.file.Files.isDirectory(d) && dev.handoff.protocol.Names.isValid(liaison)
                    && reader.hasMembers(ReleaseRecords.groupOf(liaison))) {
                    running.add(liaison);
                }
            }
        }
        return running;
    }

    private static boolean enqueuedSinceScan(Path storeDir, PartKey part) {
        return java.nio.file.Files.isRegularFile(new StoreLayout(storeDir, part.liaison()).manifest(part));
    }

    private static boolean storedLiaison(Path storeDir, String liaison) {
        return java.nio.file.Files.isDirectory(storeDir.resolve(liaison));
    }

    private static boolean sameFiles(List<PartTypeEntry> a, List<PartTypeEntry> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).type().equals(b.get(i).type()) || !a.get(i).files().equals(b.get(i).files())) {
                return false;
            }
        }
        return true;
    }

    private static String key(PartKey part, String node) {
        return part + "|" + node;
    }
}
