package dev.handoff.datanode;

import com.google.protobuf.ByteString;
import dev.handoff.protocol.FileEntry;
import dev.handoff.protocol.InvalidFieldException;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.PartTypeEntry;
import dev.handoff.protocol.common.Durable;
import dev.handoff.protocol.common.Fsyncs;
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
    private int typeIndex;
    private int fileIndex;
    private long offset;
    private FileChannel channel;
    private CRC32C crc;
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
        state = State.RECEIVING;
        skipToNextFile(0, 0);
    }

    /** Writes one chunk; returns the number of data bytes written. */
    long chunk(FileChunk chunk) throws SessionRejectedException, IOException {
        requireHeaderFirst("chunk");
        if (state != State.RECEIVING) {
            throw new SessionRejectedException("order", "a chunk of " + chunk.getType() + "/" + chunk.getName()
                + " after every announced file was complete");
        }
        PartTypeEntry type = manifest.types().get(typeIndex);
        FileEntry file = type.files().get(fileIndex);
        if (!chunk.getType().equals(type.type()) || !chunk.getName().equals(file.name())) {
            throw new SessionRejectedException("order", "expected a chunk of " + type.type() + "/" + file.name()
                + " (files come in header order), got " + chunk.getType() + "/" + chunk.getName());
        }
        if (chunk.getOffset() != offset) {
            throw new SessionRejectedException("order", "chunk of " + type.type() + "/" + file.name() + " at offset "
                + Long.toUnsignedString(chunk.getOffset()) + ", expected offset " + offset + " (offsets are contiguous)");
        }
        ByteString data = chunk.getData();
        if (data.size() > file.size() - offset) {
            throw new SessionRejectedException("size", type.type() + "/" + file.name() + " gets more bytes than its announced "
                + file.size() + " (" + (offset + data.size()) + " so far)");
        }
        write(type.type(), file.name(), data);
        if (chunk.getLast()) {
            finishFile(type.type(), file);
        }
        return data.size();
    }

    private void write(String type, String name, ByteString data) throws IOException {
        if (channel == null) {
            channel = FileChannel.open(staging.resolve(type).resolve(name), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE);
            crc = new CRC32C();
        }
        for (ByteBuffer buf : data.asReadOnlyByteBufferList()) {
            crc.update(buf.duplicate());
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
        }
        offset += data.size();
    }

    private void finishFile(String type, FileEntry file) throws SessionRejectedException, IOException {
        if (offset != file.size()) {
            throw new SessionRejectedException("size", type + "/" + file.name() + " ended after " + offset
                + " bytes, announced " + file.size());
        }
        if (crc.getValue() != file.crc32c()) {
            throw new SessionRejectedException("checksum", type + "/" + file.name() + " has CRC32C "
                + hex(crc.getValue()) + ", announced " + hex(file.crc32c()));
        }
        channel.close();
        channel = null;
        finished.add(staging.resolve(type).resolve(file.name()));
        skipToNextFile(typeIndex, fileIndex + 1);
    }

    private void skipToNextFile(int nextType, int nextFile) {
        typeIndex = nextType;
        fileIndex = nextFile;
        offset = 0;
        if (fileIndex >= manifest.types().get(typeIndex).files().size()) {
            typeIndex++;
            fileIndex = 0;
        }
        if (typeIndex >= manifest.types().size()) {
            state = State.COMPLETE;
        }
    }

    /** Checks that every file is complete and fsyncs the staging directories; returns the staging dir. */
    Path commit() throws SessionRejectedException, IOException {
        requireHeaderFirst("commit");
        if (state != State.COMPLETE) {
            PartTypeEntry type = manifest.types().get(typeIndex);
            throw new SessionRejectedException("order", "commit before every file was complete: "
                + type.type() + "/" + type.files().get(fileIndex).name() + " has " + offset + " of "
                + type.files().get(fileIndex).size() + " bytes");
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

    private static String hex(long crc32c) {
        return String.format("0x%08x", crc32c);
    }
}
