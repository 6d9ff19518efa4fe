package dev.handoff.replayer;

import dev.handoff.protocol.FileEntry;
import dev.handoff.protocol.PartTypeEntry;
import dev.handoff.protocol.grpc.FileChunk;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Checks a stream of chunks against an enqueue record's manifest as it passes: files in manifest
 * order, contiguous offsets, and each file's size and CRC32C, decided when its last chunk arrives
 * (before that chunk is forwarded). Memory is constant. Confined to one delivery thread.
 */
final class ManifestVerifier {
    private final List<String> types = new ArrayList<>();
    private final List<FileEntry> files = new ArrayList<>();
    private int index;
    private long received;
    private final CRC32C crc = new CRC32C();

    ManifestVerifier(List<PartTypeEntry> manifest) {
        for (PartTypeEntry t : manifest) {
            for (FileEntry f : t.files()) {
                types.add(t.type());
                files.add(f);
            }
        }
    }

    /** Accounts one chunk; throws when it does not fit the manifest. */
    void accept(FileChunk chunk) throws BundleMismatchException {
        if (index >= files.size()) {
            throw mismatch(ParkReason.SOURCE_MISMATCH, "unexpected file " + chunk.getType() + "/" + chunk.getName()
                + " after the last file of the record");
        }
        FileEntry expected = files.get(index);
        String type = types.get(index);
        if (!chunk.getType().equals(type) || !chunk.getName().equals(expected.name())) {
            throw mismatch(ParkReason.SOURCE_MISMATCH, "expected file " + type + "/" + expected.name() + ", got "
                + chunk.getType() + "/" + chunk.getName());
        }
        if (chunk.getOffset() != received) {
            throw mismatch(ParkReason.SOURCE_MISMATCH, "file " + type + "/" + expected.name() + ": chunk at offset "
                + chunk.getOffset() + ", expected " + received);
        }
        int n = chunk.getData().size();
        received += n;
        if (received > expected.size()) {
            throw mismatch(ParkReason.CHECKSUM, "file " + type + "/" + expected.name() + ": more than "
                + expected.size() + " bytes");
        }
        for (java.nio.ByteBuffer b : chunk.getData().asReadOnlyByteBufferList()) {
            crc.update(b);
        }
        if (chunk.getLast()) {
            finishFile(type, expected);
        }
    }

    private void finishFile(String type, FileEntry expected) throws BundleMismatchException {
        if (received != expected.size()) {
            throw mismatch(ParkReason.CHECKSUM, "file " + type + "/" + expected.name() + ": " + received
                + " bytes, the record says " + expected.size());
        }
        if (crc.getValue() != expected.crc32c()) {
            throw mismatch(ParkReason.CHECKSUM, "file " + type + "/" + expected.name() + ": crc32c "
                + crc.getValue() + ", the record says " + expected.crc32c());
        }
        index++;
        received = 0;
        crc.reset();
    }

    /** Throws unless every file of the manifest arrived complete. */
    void requireComplete() throws BundleMismatchException {
        if (index < files.size()) {
            throw mismatch(ParkReason.SOURCE_MISMATCH, "the source ended before file " + types.get(index) + "/"
                + files.get(index).name());
        }
    }

    private static BundleMismatchException mismatch(String reason, String message) {
        return new BundleMismatchException(reason, message);
    }
}
