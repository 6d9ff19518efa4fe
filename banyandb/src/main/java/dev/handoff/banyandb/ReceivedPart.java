package dev.handoff.banyandb;

import dev.handoff.banyandb.grpc.cluster.FileInfo;
import dev.handoff.banyandb.grpc.cluster.PartInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One part id being received at the conformance receiver: its local id and one writer per part type seen, and
 * BanyanDB's FinishSync for it. Not thread-safe.
 */
final class ReceivedPart {
    private static final Logger LOGGER = LoggerFactory.getLogger(ReceivedPart.class);

    final long senderId;
    final long localId;
    private final List<PartWriter> types = new ArrayList<>();
    private PartWriter current;

    ReceivedPart(long senderId, long localId) {
        this.senderId = senderId;
        this.localId = localId;
    }

    /** The writer of the type being received. */
    PartWriter current() {
        return current;
    }

    /** Makes {@code writer} the current type. */
    void add(PartWriter writer) {
        types.add(writer);
        current = writer;
    }

    /**
     * Appends the files {@code info} places in the chunk {@code data} to the current type's writer, adding their
     * declared and received bytes to {@code progress} ({declared, received}). A file whose offset lies beyond the
     * chunk is skipped, as BanyanDB does.
     */
    void append(PartInfo info, ByteBuffer data, long[] progress) throws IOException, PartWriter.UnknownFileException {
        for (FileInfo f : info.getFilesList()) {
            progress[0] += f.getSize();
            long offset = Integer.toUnsignedLong(f.getOffset());
            if (offset >= data.remaining()) {
                LOGGER.atWarn().addKeyValue("file", f.getName()).log("banyandb test receiver: file offset beyond the chunk, skipped");
                continue;
            }
            int size = (int) Math.min(Integer.toUnsignedLong(f.getSize()), data.remaining() - offset);
            ByteBuffer slice = data.duplicate();
            slice.position((int) offset).limit((int) offset + size);
            current.append(f.getName(), slice);
            progress[1] += size;
        }
    }

    /**
     * BanyanDB's FinishSync: seals and publishes the part if it has its core (sidx first, core last: the core
     * directory is the part's publication) and logs the commit; discards a sidx-only one, as BanyanDB does.
     *
     * @return true when the part was committed
     */
    boolean finish(ReceiverLayout layout, ReceiverSession session) throws IOException {
        try {
            if (types.stream().noneMatch(w -> WireNames.isCore(w.type()))) {
                LOGGER.atWarn().addKeyValue("part", senderId).log("banyandb test receiver: sidx parts without their core part discarded");
                return false;
            }
            for (PartWriter w : types) {
                w.seal();
            }
            for (PartWriter w : types) {
                if (!WireNames.isCore(w.type())) {
                    w.publish();
                }
            }
            for (PartWriter w : types) {
                if (WireNames.isCore(w.type())) {
                    w.publish();
                }
            }
            List<String> names = new ArrayList<>();
            types.forEach(w -> names.add(w.type()));
            layout.logCommit(session.metadata.getGroup(), session.metadata.getShardId(), senderId, localId, names, session.id);
            return true;
        } finally {
            discard();
        }
    }

    /** Closes every writer; what was not published is gone. */
    void discard() {
        types.forEach(PartWriter::close);
    }
}
