package dev.handoff.banyandb;

import dev.handoff.protocol.grpc.ProtoMapping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Compares a part a receiver committed with the liaison's original: every file BanyanDB sends byte for byte (and
 * no other file but the metadata JSON), and the metadata the receiver rebuilt from PartInfo against the liaison's
 * {@code metadata.json}/{@code manifest.json} (a sidx part's timestamps after BanyanDB's segment fallback). For
 * the quickstart's verification and the tests. Stateless.
 */
public final class CopyCheck {
    private CopyCheck() {
    }

    /** What differs; empty when the copy is faithful. {@code liaisonCore} is {@code <root>/<group>/shard-<N>/<id>}. */
    public static List<String> differences(Path liaisonCore, ReceiverLayout.Commit commit, Path receiverRoot) throws IOException {
        List<String> problems = new ArrayList<>();
        for (String type : commit.types()) {
            Path original = WireNames.isCore(type) ? liaisonCore
                : liaisonCore.getParent().resolve("sidx").resolve(type).resolve(liaisonCore.getFileName());
            Path copy = WireNames.isCore(type) ? commit.coreDir(receiverRoot) : commit.sidxDir(receiverRoot, type);
            compareFiles(type, original, copy, problems);
            compareMeta(type, original, copy, problems);
        }
        return problems;
    }

    private static void compareFiles(String type, Path original, Path copy, List<String> problems) throws IOException {
        TreeSet<String> expected = new TreeSet<>();
        for (Path f : files(original)) {
            String name = f.getFileName().toString();
            if (WireNames.toWire(type, name) == null) {
                continue;
            }
            expected.add(name);
            Path c = copy.resolve(name);
            if (!Files.isRegularFile(c)) {
                problems.add(type + "/" + name + ": missing in " + copy);
            } else if (!Arrays.equals(Files.readAllBytes(f), Files.readAllBytes(c))) {
                problems.add(type + "/" + name + ": bytes differ");
            }
        }
        expected.add(WireNames.metadataFile(type));
        TreeSet<String> actual = new TreeSet<>();
        files(copy).forEach(p -> actual.add(p.getFileName().toString()));
        if (!actual.equals(expected)) {
            problems.add(type + ": files " + actual + ", expected " + expected);
        }
    }

    private static void compareMeta(String type, Path original, Path copy, List<String> problems) throws IOException {
        String file = WireNames.metadataFile(type);
        Map<String, Object> sent = ProtoMapping.meta(file, Files.readString(original.resolve(file)));
        Map<String, Object> written = ProtoMapping.meta(file, Files.readString(copy.resolve(file)));
        List<String> keys = new ArrayList<>(List.of("compressedSizeBytes", "totalCount", "blocksCount"));
        if (WireNames.isCore(type)) {
            keys.addAll(List.of("uncompressedSpanSizeBytes", "minTimestamp", "maxTimestamp"));
        } else {
            keys.addAll(List.of("uncompressedSizeBytes", "minKey", "maxKey"));
            Object min = sent.containsKey("minTimestamp") ? sent.get("minTimestamp") : sent.get("segmentID");
            Object max = sent.containsKey("maxTimestamp") ? sent.get("maxTimestamp") : min;
            check(type, "minTimestamp", min, written.get("minTimestamp"), problems);
            check(type, "maxTimestamp", max, written.get("maxTimestamp"), problems);
        }
        for (String k : keys) {
            check(type, k, sent.get(k), written.get(k), problems);
        }
    }

    private static void check(String type, String key, Object expected, Object actual, List<String> problems) {
        if (!Objects.equals(String.valueOf(expected), String.valueOf(actual))) {
            problems.add(type + " " + key + ": " + actual + ", expected " + expected);
        }
    }

    private static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
