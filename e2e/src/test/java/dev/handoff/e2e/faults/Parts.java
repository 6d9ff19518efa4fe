package dev.handoff.e2e.faults;

import dev.handoff.producer.Bundle;
import dev.handoff.producer.HandoffProducer;
import dev.handoff.protocol.FileEntry;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.PartTypeEntry;
import dev.handoff.testkit.PartFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Liaison-side part directories for the fault suite: a {@code core} part (two files) and a {@code sidx_a}
 * part (one file) per part id, with deterministic random contents, under {@code <root>/<partIdHex>/<type>/}.
 */
final class Parts {
    static final String GROUP = "g";

    /** A written part: the bundle to enqueue and what the data node must end up holding. */
    record Written(Bundle bundle, List<PartTypeEntry> types) {
        PartKey key() {
            return bundle.part();
        }
    }

    private Parts() {
    }

    static PartKey key(long partId) {
        return new PartKey(Stack.LIAISON, GROUP, (int) (partId % 4), partId);
    }

    /** Writes part {@code partId} with about {@code bytes} bytes of data in total. */
    static Written write(Path root, long partId, int bytes) throws IOException {
        Random random = new Random(partId);
        Path dir = root.resolve(String.format("%016x", partId));
        List<PartTypeEntry> types = new ArrayList<>();
        types.add(PartFiles.writeRandomType(dir, "core", new TreeMap<>(Map.of("data.bin", (long) bytes * 3 / 4,
            "meta.json", 64L)), random));
        types.add(PartFiles.writeRandomType(dir, "sidx_a", Map.of("index.bin", (long) Math.max(1, bytes / 4)), random));
        return new Written(bundle(root, partId), types);
    }

    /** Writes parts {@code 1..count} of about {@code bytes} each. */
    static List<Written> writeAll(Path root, int count, int bytes) throws IOException {
        List<Written> out = new ArrayList<>();
        for (long id = 1; id <= count; id++) {
            out.add(write(root, id, bytes));
        }
        return out;
    }

    /**
     * Writes parts {@code 1..count} of about {@code bytes} each, enqueues each for {@code nodes} through
     * {@code producer} and expects it in {@code ledger} on every one of them, one part at a time.
     */
    static List<Written> enqueue(Path root, HandoffProducer producer, Ledger ledger, int count, int bytes,
                                 String... nodes) throws Exception {
        List<Written> out = new ArrayList<>();
        for (long id = 1; id <= count; id++) {
            Written w = write(root, id, bytes);
            enqueue(producer, ledger, List.of(w), nodes);
            out.add(w);
        }
        return out;
    }

    /** Enqueues each of {@code parts} for {@code nodes} through {@code producer} and expects it in {@code ledger} there. */
    static void enqueue(HandoffProducer producer, Ledger ledger, List<Written> parts, String... nodes) throws Exception {
        for (Written w : parts) {
            producer.enqueue(w.bundle(), List.of(nodes));
            ledger.expect(w, nodes);
        }
    }

    /** The bundle of a part already written under {@code root} (what a child producer enqueues). */
    static Bundle bundle(Path root, long partId) {
        Path dir = root.resolve(String.format("%016x", partId));
        return Bundle.of(key(partId), new Bundle.Type("core", dir.resolve("core"), Map.of("compressedSizeBytes", 1L)),
            new Bundle.Type("sidx_a", dir.resolve("sidx_a"), Map.of()));
    }

    /** Total size of a written part's files. */
    static long size(Written w) {
        return w.types().stream().flatMap(t -> t.files().stream()).mapToLong(FileEntry::size).sum();
    }
}
