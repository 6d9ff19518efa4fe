package dev.handoff.banyandb;

import io.grpc.Status;

/**
 * A bundle's session with a BanyanDB data node did not end in {@code SYNC_COMPLETE} with success. {@link #kind()}
 * says what the sender should do; the replayer maps it onto its own delivery outcomes.
 */
public final class BanyanSyncException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What a failed session means for the bundle. */
    public enum Kind {
        /** The stream ended with a gRPC status ({@link #code()}): classified like any sink's transport failure. */
        TRANSPORT,
        /** The node refused this attempt (checksum mismatch, out of order, success=false): retry the whole bundle. */
        RETRY,
        /** The node is under memory pressure (SERVER_BUSY): back off the node, then retry the whole bundle. */
        BUSY,
        /** The node runs other versions (VERSION_UNSUPPORTED, FORMAT_VERSION_MISMATCH): park, an operator's problem. */
        INCOMPATIBLE,
        /** The node can never take the bundle as it is (unknown file, invalid MinTimestamp, bad metadata): park. */
        POISON
    }

    private final Kind kind;
    private final transient Status.Code code;

    public BanyanSyncException(Kind kind, String message) {
        this(kind, message, null, null);
    }

    public BanyanSyncException(Kind kind, String message, Status.Code code, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.code = code;
    }

    public Kind kind() {
        return kind;
    }

    /** The gRPC status code for {@link Kind#TRANSPORT}, else null. */
    public Status.Code code() {
        return code;
    }
}
