package dev.handoff.datanode;

import com.google.protobuf.ByteString;
import dev.handoff.protocol.InvalidFieldException;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.PartTypeEntry;
import dev.handoff.protocol.common.Durable;
import dev.handoff.protocol.common.Fsyncs;
import dev.handoff.protocol.grpc.ChunkStreamCheck;
import dev.handoff.protocol.grpc.FileChunk;
import dev.handoff.protocol.grpc.ProtoMapping;
import dev.handoff.protocol.grpc.SyncHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * The receiving side of one PartSync session: checks the protocol's rules (header first, files in header
 * order, contiguous offsets, sizes, CRC32C, commit last) and streams each chunk straight into a staging
 * directory, one open file at a time. Confined to one gRPC call, whose callbacks never run concurrently.
 */
final class SyncSession implements AutoCloseable {

    /** A validated header. */
    record Manifest(PartKey key, List<PartTypeEntry> types, long totalBytes) {
    }

    private enum State { AWAIT_HEADER, RECEIVING, COMPLETE, CLOSED }

    private State state = State.AWAIT_HEADER;
    private Manifest manifest;
    private Path staging;
    private ChunkStreamCheck check;
    private FileChannel channel;
    /** Files written completely; fsynced together (with the directories) at commit. */
    private final List<Path> finished = new ArrayList<>();
    private final Fsyncs fsyncs;

    /** A session that fsyncs one file after the other. */
    SyncSession() {
        this(Fsyncs.serial());
    }

    /** A session that makes its files and directories durable through {@code fsyncs} at commit. */
    SyncSession(Fsyncs fsyncs) {
        this.fsyncs = fsyncs;
    }

    /**
     * Validates a header: a valid PartKey, at least one part type, valid and unique type and file names,
     * and (when non-zero) a total_bytes equal to the sum of the file sizes.
     */
    static Manifest validate(SyncHeader header) throws SessionRejectedException {
        if (!header.hasPart()) {
            throw new SessionRejectedException("header", "the header has no part key");
        }
        PartKey key;
        List<PartTypeEntry> types;
        try {
            key = ProtoMapping.fromProto(header.getPart());
            types = ProtoMapping.fromProto(header.getTypesList());
        } catch (InvalidFieldException e) {
            throw new SessionRejectedException("names", e.getMessage());
        }
        if (types.isEmpty()) {
            throw new SessionRejectedException("header", "a bundle has at least one part type");
        }
        Set<String> seen = new HashSet<>();
        long sum = 0;
        for (PartTypeEntry t : types) {
            if (!seen.add(t.type())) {
                throw new SessionRejectedException("names", "types.type \"" + t.type() + "\" appears twice");
            }
            sum += t.bytes();
        }
        if (header.getTotalBytes() != 0 && header.getTotalBytes() != sum) {
            throw new SessionRejectedException("header", "total_bytes " + Long.toUnsignedString(header.getTotalBytes())
                + " is not the sum of the file sizes " + sum);
        }
        return new Manifest(key, types, sum);
    }

    /** The first message of a session must be a header; anything else breaks the order rule. */
    void requireHeaderFirst(String what) throws SessionRejectedException {
        if (state == State.AWAIT_HEADER) {
            throw new SessionRejectedException("order", "the first message must be a header, got a " + what);
        }
    }

    /** A session has exactly one header. */
    void requireNoHeaderYet() throws SessionRejectedException {
        if (state != State.AWAIT_HEADER) {
            throw new SessionRejectedException("order", "a second header in one session");
        }
    }

    /** Starts receiving the bundle of a validated header into an empty staging directory. */
    void begin(Manifest validated, Path stagingDir) throws SessionRejectedException, IOException {
        requireNoHeaderYet();
        this.manifest = validated;
        this.staging = stagingDir;
        for (PartTypeEntry t : validated.types()) {
            Files.createDirectory(stagingDir.resolve(t.type()));
        }
        check = new ChunkStreamCheck(validated.types());
        state = check.complete() ? State.COMPLETE : State.RECEIVING;
    }

    /** Writes one chunk; returns the number of data bytes written. */
    long chunk(FileChunk chunk) throws SessionRejectedException, IOException {
        requireHeaderFirst("chunk");
        boolean fileDone;
        try {
            fileDone = check.accept(chunk);
        } catch (ChunkStreamCheck.Violation v) {
            throw new SessionRejectedException(v.rule().name().toLowerCase(Locale.ROOT), v.getMessage());
        }
        Path file = staging.resolve(chunk.getType()).resolve(chunk.getName());
        ByteString data = chunk.getData();
        write(file, data);
        if (fileDone) {
            channel.close();
            channel = null;
            finished.add(file);
            if (check.complete()) {
                state = State.COMPLETE;
            }
        }
        return data.size();
    }

    private void write(Path file, ByteString data) throws IOException {
        if (channel == null) {
            channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }
        for (ByteBuffer buf : data.asReadOnlyByteBufferList()) {
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
        }
    }

    /** Checks that every file is complete and fsyncs the staging directories; returns the staging dir. */
    Path commit() throws SessionRejectedException, IOException {
        requireHeaderFirst("commit");
        if (state != State.COMPLETE) {
            throw new SessionRejectedException("order", "commit before every file was complete: "
                + check.expectedFile() + " has " + check.offset() + " of " + check.expectedSize() + " bytes");
        }
        List<Path> dirs = new ArrayList<>();
        for (PartTypeEntry t : manifest.types()) {
            dirs.add(staging.resolve(t.type()));
        }
        dirs.add(staging);
        fsyncs.fsyncAll(finished, dirs);
        state = State.CLOSED;
        return staging;
    }

    Manifest manifest() {
        return manifest;
    }

    /** Closes the open file and removes the staging directory (a no-op once committed and moved). */
    @Override
    public void close() throws IOException {
        state = State.CLOSED;
        try {
            if (channel != null) {
                channel.close();
                channel = null;
            }
        } finally {
            if (staging != null) {
                Durable.deleteTree(staging);
            }
        }
    }
}
