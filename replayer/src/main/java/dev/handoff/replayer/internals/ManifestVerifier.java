package dev.handoff.replayer.internals;

import dev.handoff.protocol.PartTypeEntry;
import dev.handoff.protocol.grpc.ChunkStreamCheck;
import dev.handoff.protocol.grpc.FileChunk;
import java.util.List;

/**
 * Checks a stream of chunks against an enqueue record's manifest as it passes, with the rules the data node
 * applies too ({@link ChunkStreamCheck}): a file out of order is {@link ParkReason#SOURCE_MISMATCH}, a wrong
 * size or CRC32C {@link ParkReason#CHECKSUM}, decided when its last chunk arrives (before that chunk is
 * forwarded). Memory is constant. Confined to one delivery thread.
 */
final class ManifestVerifier {
    private final ChunkStreamCheck check;

    ManifestVerifier(List<PartTypeEntry> manifest) {
        this.check = new ChunkStreamCheck(manifest);
    }

    /** Accounts one chunk; throws when it does not fit the manifest. */
    void accept(FileChunk chunk) throws BundleMismatchException {
        try {
            check.accept(chunk);
        } catch (ChunkStreamCheck.Violation v) {
            String reason = v.rule() == ChunkStreamCheck.Rule.ORDER ? ParkReason.SOURCE_MISMATCH : ParkReason.CHECKSUM;
            throw new BundleMismatchException(reason, v.getMessage());
        }
    }

    /** Throws unless every file of the manifest arrived complete. */
    void requireComplete() throws BundleMismatchException {
        if (!check.complete()) {
            throw new BundleMismatchException(ParkReason.SOURCE_MISMATCH, "the source ended before file "
                + check.expectedFile());
        }
    }
}
