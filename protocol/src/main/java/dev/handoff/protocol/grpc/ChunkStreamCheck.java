package dev.handoff.protocol.grpc;

import dev.handoff.protocol.FileEntry;
import dev.handoff.protocol.PartTypeEntry;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The rules of a stream of file chunks (a Fetch answer, a PartSync session) against the bundle's file list, checked
 * as the chunks pass: files in list order, offsets contiguous from 0, no file longer than announced, and each
 * file's size and CRC32C, decided at its last chunk. The sender (replayer) and the receiver (data node) check the
 * same rules with this one class; each maps a broken {@link Rule} to its own answer. Memory is constant.
 * Confined to one thread.
 */
public final class ChunkStreamCheck {

    /** Which rule a chunk broke. */
    public enum Rule {
        /** A file out of order, one more than announced, or an offset that is not contiguous. */
        ORDER,
        /** A file longer or shorter than announced. */
        SIZE,
        /** A file whose CRC32C differs from the announced one. */
        CHECKSUM
    }

    /** A chunk broke a rule; the message names the file. */
    public static final class Violation extends Exception {
        private static final long serialVersionUID = 1L;
        private final Rule rule;

        Violation(Rule rule, String message) {
            super(message);
            this.rule = rule;
        }

        public Rule rule() {
            return rule;
        }
    }

    private final List<String> names = new ArrayList<>();
    private final List<FileEntry> files = new ArrayList<>();
    private final CRC32C crc = new CRC32C();
    private int index;
    private long offset;

    public ChunkStreamCheck(List<PartTypeEntry> types) {
        for (PartTypeEntry t : types) {
            for (FileEntry f : t.files()) {
                names.add(t.type() + "/" + f.name());
                files.add(f);
            }
        }
    }

    /**
     * Checks one chunk before its data is used and accounts it; true when it completed its file (size and CRC32C
     * checked). After a violation the stream is broken: the caller ends it.
     */
    public boolean accept(FileChunk chunk) throws Violation {
        String got = chunk.getType() + "/" + chunk.getName();
        if (complete()) {
            throw new Violation(Rule.ORDER, "a chunk of " + got + " after every announced file was complete");
        }
        String name = names.get(index);
        FileEntry file = files.get(index);
        if (!got.equals(name)) {
            throw new Violation(Rule.ORDER, "expected a chunk of " + name + " (files come in announced order), got " + got);
        }
        if (chunk.getOffset() != offset) {
            throw new Violation(Rule.ORDER, "chunk of " + name + " at offset " + Long.toUnsignedString(chunk.getOffset())
                + ", expected offset " + offset + " (offsets are contiguous)");
        }
        int n = chunk.getData().size();
        if (n > file.size() - offset) {
            throw new Violation(Rule.SIZE, name + " gets more bytes than its announced " + file.size() + " ("
                + (offset + n) + " so far)");
        }
        for (ByteBuffer b : chunk.getData().asReadOnlyByteBufferList()) {
            crc.update(b);
        }
        offset += n;
        if (!chunk.getLast()) {
            return false;
        }
        if (offset != file.size()) {
            throw new Violation(Rule.SIZE, name + " ended after " + offset + " bytes, announced " + file.size());
        }
        if (crc.getValue() != file.crc32c()) {
            throw new Violation(Rule.CHECKSUM, name + " has CRC32C " + hex(crc.getValue()) + ", announced "
                + hex(file.crc32c()));
        }
        index++;
        offset = 0;
        crc.reset();
        return true;
    }

    /** True once every announced file arrived complete. */
    public boolean complete() {
        return index >= files.size();
    }

    /** The file the next chunk belongs to ({@code type/name}), or null when complete. */
    public String expectedFile() {
        return complete() ? null : names.get(index);
    }

    /** Bytes of {@link #expectedFile()} received so far. */
    public long offset() {
        return offset;
    }

    /** Announced size of {@link #expectedFile()}. */
    public long expectedSize() {
        return complete() ? 0 : files.get(index).size();
    }

    private static String hex(long crc32c) {
        return String.format("0x%08x", crc32c);
    }
}
