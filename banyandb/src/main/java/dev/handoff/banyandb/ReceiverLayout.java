package dev.handoff.banyandb;

import dev.handoff.protocol.Names;
import dev.handoff.protocol.PartIds;
import dev.handoff.protocol.common.Durable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where the conformance receiver keeps parts, in BanyanDB's layout: {@code <dir>/<group>/shard-<N>/<id %016x>/} for
 * core parts and {@code <dir>/<group>/shard-<N>/sidx/<rule>/<id %016x>/} for sidx parts, with a new local id for
 * every commit (as a data node: it never keeps the sender's id), and {@code <dir>/commits.log}, one JSON line per
 * commit naming the sender's part id (the oracle of how often a bundle was applied). Thread-safe.
 */
public final class ReceiverLayout {
    static final String COMMITS_LOG = "commits.log";
    private final Path root;
    private final Map<Path, AtomicLong> nextIds = new ConcurrentHashMap<>();

    ReceiverLayout(Path root) throws IOException {
        this.root = root;
        Durable.createDirectories(root);
    }

    Path root() {
        return root;
    }

    Path shardDir(String group, int shard) {
        return root.resolve(group).resolve("shard-" + shard);
    }

    static Path coreDir(Path shardDir, long localId) {
        return shardDir.resolve(PartIds.toHex(localId));
    }

    /**
     * Where a part type of local part {@code localId} goes: the core directory, or the sidx directory of rule
     * {@code type}. BanyanDB would create a directory of any name; this receiver refuses to leave its root.
     */
    static Path typeDir(Path shardDir, String type, long localId) {
        if (WireNames.isCore(type)) {
            return coreDir(shardDir, localId);
        }
        if (!Names.isValid(type)) {
            throw new IllegalStateException("sidx name " + type + " is not a safe directory name");
        }
        return sidxDir(shardDir, type, localId);
    }

    static Path sidxDir(Path shardDir, String rule, long localId) {
        return shardDir.resolve("sidx").resolve(rule).resolve(PartIds.toHex(localId));
    }

    /** A new local part id of the shard: one above every id it holds (as the tsTable's curPartID). */
    long newPartId(Path shardDir) {
        return nextIds.computeIfAbsent(shardDir, d -> new AtomicLong(highestId(d))).incrementAndGet();
    }

    /** Appends one commit to the log and makes it durable before the node answers. */
    synchronized void logCommit(String group, int shard, long senderId, long localId, List<String> types, String session) throws IOException {
        String line = "{\"group\":\"" + group + "\",\"shard\":" + shard + ",\"senderPartId\":\"" + PartIds.toHex(senderId)
            + "\",\"localPartId\":\"" + PartIds.toHex(localId) + "\",\"types\":[\"" + String.join("\",\"", types)
            + "\"],\"session\":\"" + session.replace("\"", "") + "\"}\n";
        Path log = root.resolve(COMMITS_LOG);
        Files.writeString(log, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
            StandardOpenOption.SYNC);
    }

    /** One line of {@code commits.log}. */
    public record Commit(String group, int shard, long senderPartId, long localPartId, List<String> types) {
        /** The committed core part's directory under {@code root}. */
        public Path coreDir(Path root) {
            return ReceiverLayout.coreDir(root.resolve(group).resolve("shard-" + shard), localPartId);
        }

        /** The committed sidx part's directory of {@code rule} under {@code root}. */
        public Path sidxDir(Path root, String rule) {
            return ReceiverLayout.sidxDir(root.resolve(group).resolve("shard-" + shard), rule, localPartId);
        }
    }

    /** Every commit logged so far, in order. */
    synchronized List<Commit> commits() throws IOException {
        return readCommits(root);
    }

    /** The commits a receiver with directory {@code dir} logged (also from another process). */
    public static List<Commit> readCommits(Path dir) throws IOException {
        Path log = dir.resolve(COMMITS_LOG);
        List<Commit> out = new java.util.ArrayList<>();
        if (!Files.exists(log)) {
            return out;
        }
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            var n = mapper.readTree(line);
            List<String> types = new java.util.ArrayList<>();
            n.get("types").forEach(t -> types.add(t.asText()));
            out.add(new Commit(n.get("group").asText(), n.get("shard").asInt(),
                PartIds.parseHex("senderPartId", n.get("senderPartId").asText()),
                PartIds.parseHex("localPartId", n.get("localPartId").asText()), types));
        }
        return out;
    }

    private static long highestId(Path shardDir) {
        long max = max(shardDir, 0);
        Path sidx = shardDir.resolve("sidx");
        if (Files.isDirectory(sidx)) {
            try (DirectoryStream<Path> rules = Files.newDirectoryStream(sidx)) {
                for (Path rule : rules) {
                    max = Math.max(max, max(rule, 0));
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot list " + sidx, e);
            }
        }
        return max;
    }

    private static long max(Path dir, long start) {
        long max = start;
        if (!Files.isDirectory(dir)) {
            return max;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (name.matches("[0-9a-f]{16}")) {
                    max = Math.max(max, Long.parseUnsignedLong(name, 16));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + dir, e);
        }
        return max;
    }
}
