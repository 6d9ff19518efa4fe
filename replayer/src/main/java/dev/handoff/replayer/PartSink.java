package dev.handoff.replayer;

import dev.handoff.protocol.EnqueueRecord;
import java.nio.ByteBuffer;

/**
 * The receiving side of a delivery: a data node that takes one whole bundle per session.
 * {@link GrpcPartSink} (handoff.v1.PartSync) is the first implementation; others (a database's native
 * receiver) plug in through {@link ReplayerSettings#sinkFactory()}. The interface speaks the project's own
 * types ({@link EnqueueRecord}, {@link Chunk}), never a wire protocol's messages, so a sink for another protocol
 * needs nothing of handoff.v1. Implementations are thread-safe; a {@link Session} is used by one thread.
 */
public interface PartSink extends AutoCloseable {

    /** Creates a sink for a replayer's settings (TLS, timeouts). */
    @FunctionalInterface
    interface Factory {
        PartSink create(ReplayerSettings settings);
    }

    /**
     * Opens a session to {@code record.node()} announcing the bundle (all its part types and files).
     *
     * @throws SinkException when the node cannot be reached
     */
    Session open(EnqueueRecord record, String sender) throws SinkException;

    @Override
    void close();

    /** One bundle's session: chunks in manifest order, then {@link #commit()}. */
    interface Session extends AutoCloseable {

        /**
         * Sends one chunk, blocking while the receiver is not ready for more (flow control).
         *
         * @return false when the receiver has already answered (for example DUPLICATE after the header):
         *     stop sending and read the answer with {@link #commit()}
         * @throws SinkException when the session broke (transport failure, stall)
         */
        boolean send(Chunk chunk) throws SinkException;

        /** Asks the receiver to apply what was sent (unless it answered already) and waits for its answer. */
        SyncResult commit() throws SinkException;

        /** Abandons the session: the receiver must not apply anything of it. */
        void cancel(String reason);

        /** Cancels the session unless it completed. */
        @Override
        void close();
    }

    /**
     * A slice of one file of the bundle. Files come in the record's order (types in order, files in order),
     * each file's slices in order; the last slice of every file has {@code last}, so an empty file is one
     * slice with no data. {@code data} is read-only and valid only during {@link Session#send}.
     */
    record Chunk(String type, String name, long offset, ByteBuffer data, boolean last) {
    }

    /**
     * The receiver's answer. APPLIED and DUPLICATE complete the record; REJECTED charges its retry budget;
     * INCOMPATIBLE (the node runs a version this sink was not configured for) and POISON (the node can never
     * take this bundle as it is) park it at once, with {@code reason} saying why.
     */
    record SyncResult(Status status, String reason) {
        public enum Status {
            APPLIED, DUPLICATE, REJECTED, INCOMPATIBLE, POISON
        }
    }
}
