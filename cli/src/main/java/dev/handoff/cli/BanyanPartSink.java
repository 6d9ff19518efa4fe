package dev.handoff.cli;

import dev.handoff.banyandb.BanyanSinkSettings;
import dev.handoff.banyandb.BanyanSyncException;
import dev.handoff.banyandb.ChunkedSyncSink;
import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.PartTypeEntry;
import dev.handoff.replayer.PartSink;
import dev.handoff.replayer.ReplayerSettings;
import dev.handoff.replayer.SinkException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The replayer's {@link PartSink} on BanyanDB data nodes: wires {@link ChunkedSyncSink} into the replayer and
 * maps how a session failed onto the replayer's outcomes: a transport status is classified as for any sink
 * (UNAVAILABLE backs off the node); SERVER_BUSY backs off the node; a refused attempt (checksum mismatch, out of
 * order, success=false) charges the record, which is then sent again whole; other versions park the record as
 * INCOMPATIBLE, a bundle the node can never take as POISON. Thread-safe, as the sink.
 */
public final class BanyanPartSink implements PartSink {
    private final ChunkedSyncSink sink;

    BanyanPartSink(BanyanSinkSettings settings, Clock clock) {
        this.sink = new ChunkedSyncSink(settings, clock);
    }

    /** The factory {@code --sink banyandb} gives the replayer: its TLS and session timeout, these versions. */
    public static PartSink.Factory factory(dev.handoff.banyandb.BanyanVersions versions) {
        return (ReplayerSettings s) -> new BanyanPartSink(new BanyanSinkSettings(versions, s.connections().syncTls(),
            s.sessionTimeout(), BanyanSinkSettings.DEFAULT_CHUNK_SIZE, s.replayerName()), Clock.systemUTC());
    }

    @Override
    public Session open(EnqueueRecord record, String sender) {
        List<ChunkedSyncSink.Part> parts = new ArrayList<>();
        for (PartTypeEntry t : record.types()) {
            parts.add(new ChunkedSyncSink.Part(t.type(), t.meta()));
        }
        try {
            return new BanyanSession(sink.open(new ChunkedSyncSink.Bundle(record.node(), record.group(), record.shard(),
                record.partId(), parts)), null);
        } catch (BanyanSyncException e) {
            return new BanyanSession(null, e);
        }
    }

    @Override
    public void close() {
        sink.close();
    }

    /** How a failed session ends the attempt: a refusal to park, or an exception to retry. */
    static SyncResult refusal(BanyanSyncException e) {
        return switch (e.kind()) {
            case INCOMPATIBLE -> new SyncResult(SyncResult.Status.INCOMPATIBLE, e.getMessage());
            case POISON -> new SyncResult(SyncResult.Status.POISON, e.getMessage());
            default -> null;
        };
    }

    static SinkException retry(BanyanSyncException e) {
        return switch (e.kind()) {
            case TRANSPORT -> SinkException.ofStatus(e.code(), e.getMessage(), e);
            case BUSY -> new SinkException(e.getMessage(), true, e);
            default -> new SinkException(e.getMessage(), false, e);
        };
    }

    /** One bundle's session; {@code refused} is set once the node (or the bundle's metadata) refused it for good. */
    private static final class BanyanSession implements Session {
        private final ChunkedSyncSink.Session session;
        private BanyanSyncException refused;

        BanyanSession(ChunkedSyncSink.Session session, BanyanSyncException refused) {
            this.session = session;
            this.refused = refused;
        }

        @Override
        public boolean send(Chunk chunk) throws SinkException {
            if (refused != null) {
                return false;
            }
            try {
                session.write(chunk.type(), chunk.name(), chunk.data());
                return true;
            } catch (BanyanSyncException e) {
                return keepRefusal(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                session.cancel("replayer stopping");
                throw new SinkException("interrupted while sending", true, e);
            }
        }

        @Override
        public SyncResult commit() throws SinkException {
            try {
                if (refused == null) {
                    session.complete();
                    return new SyncResult(SyncResult.Status.APPLIED, "");
                }
            } catch (BanyanSyncException e) {
                keepRefusal(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                session.cancel("replayer stopping");
                throw new SinkException("interrupted while completing", true, e);
            }
            return refusal(refused);
        }

        /** Keeps a refusal for {@link #commit}; throws anything that is retried. */
        private boolean keepRefusal(BanyanSyncException e) throws SinkException {
            if (refusal(e) == null) {
                throw retry(e);
            }
            refused = e;
            return false;
        }

        @Override
        public void cancel(String reason) {
            if (session != null) {
                session.cancel(reason);
            }
        }

        @Override
        public void close() {
            if (session != null) {
                session.close();
            }
        }
    }
}
