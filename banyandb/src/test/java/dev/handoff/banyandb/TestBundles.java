package dev.handoff.banyandb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.protocol.grpc.ProtoMapping;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Sends sample parts through a sink the way the replayer does, and compares what a receiver wrote. */
final class TestBundles {
    static final String GROUP = "sw_trace";
    static final List<String> RULES = List.of("duration", "timestamp");

    private TestBundles() {
    }

    /** The parts of a sample bundle in (type) order, with the liaison's JSON as metadata. */
    static ChunkedSyncSink.Bundle bundle(String node, Path core, long partId) throws IOException {
        List<ChunkedSyncSink.Part> parts = new ArrayList<>();
        for (Map.Entry<String, Path> t : typeDirs(core).entrySet()) {
            Path json = t.getValue().resolve(WireNames.metadataFile(t.getKey()));
            parts.add(new ChunkedSyncSink.Part(t.getKey(), ProtoMapping.meta("meta", Files.readString(json))));
        }
        return new ChunkedSyncSink.Bundle(node, GROUP, 0, partId, parts);
    }

    /** core and every rule's sidx directory, sorted by type name. */
    static java.util.SortedMap<String, Path> typeDirs(Path core) {
        java.util.SortedMap<String, Path> dirs = new java.util.TreeMap<>();
        dirs.put(WireNames.CORE, core);
        List<Path> sidx = SampleParts.sidxDirs(core, RULES);
        for (int i = 0; i < RULES.size(); i++) {
            dirs.put(RULES.get(i), sidx.get(i));
        }
        return dirs;
    }

    /** Opens a session and writes every file of every part in 64 KiB fragments, as a fetch would deliver them. */
    static ChunkedSyncSink.Session send(ChunkedSyncSink sink, ChunkedSyncSink.Bundle bundle, Path core)
        throws Exception {
        ChunkedSyncSink.Session session = sink.open(bundle);
        for (ChunkedSyncSink.Part p : bundle.parts()) {
            for (Path f : files(typeDirs(core).get(p.type()))) {
                byte[] all = Files.readAllBytes(f);
                for (int off = 0; off < all.length || off == 0; off += 65536) {
                    session.write(p.type(), f.getFileName().toString(), ByteBuffer.wrap(all, off, Math.min(65536, all.length - off)));
                    if (all.length == 0) {
                        break;
                    }
                }
            }
        }
        return session;
    }

    static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** Asserts a committed copy equals the liaison's part (files byte for byte, metadata from PartInfo). */
    static void assertSameBundle(Path liaisonCore, ReceiverLayout.Commit commit, Path receiverRoot) throws IOException {
        assertThat(CopyCheck.differences(liaisonCore, commit, receiverRoot)).isEmpty();
        assertThat(commit.types()).containsExactlyElementsOf(typeDirs(liaisonCore).keySet());
    }
}
