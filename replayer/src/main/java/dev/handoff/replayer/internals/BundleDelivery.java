package dev.handoff.replayer.internals;

import dev.handoff.protocol.Completion;
import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.grpc.FetchRequest;
import dev.handoff.protocol.grpc.FileChunk;
import dev.handoff.protocol.grpc.PartStoreGrpc;
import dev.handoff.protocol.grpc.ProtoMapping;
import dev.handoff.replayer.PartSink;
import dev.handoff.replayer.SinkException;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Delivers one bundle: fetches it from the record's source ({@code PartStore.Fetch}) and streams each
 * chunk straight into a {@link PartSink} session, verifying every file against the record on the way,
 * so memory holds about one chunk per delivery whatever the bundle's size. Commits the session only
 * when everything matched. Thread-safe; one call per delivery thread at a time.
 */
final class BundleDelivery {
    private final ChannelPool sources;
    private final PartSink sink;
    private final int chunkSize;
    private final String sender;
    private final Delay delay;
    private final ScheduledExecutorService timer;
    private final Duration fetchIdleTimeout;
    private final AddressAllowlist allowedSources;
    private final AddressAllowlist allowedNodes;

    /**
     * @param fetchIdleTimeout longest the part store may send nothing before the fetch counts as failed
     * @param allowedSources   a record whose source is outside it is parked, never fetched from
     * @param allowedNodes     a record whose node is outside it is parked, never dialled
     */
    BundleDelivery(ChannelPool sources, PartSink sink, int chunkSize, String sender, Delay delay,
                   ScheduledExecutorService timer, Duration fetchIdleTimeout, AddressAllowlist allowedSources,
                   AddressAllowlist allowedNodes) {
        this.sources = sources;
        this.sink = sink;
        this.chunkSize = chunkSize;
        this.sender = sender;
        this.delay = delay;
        this.timer = timer;
        this.fetchIdleTimeout = fetchIdleTimeout;
        this.allowedSources = allowedSources;
        this.allowedNodes = allowedNodes;
    }

    /** Why {@code record} may not be delivered (its source or node is not allowed), or null. */
    private String refusal(EnqueueRecord record) {
        if (!allowedSources.allows(record.source())) {
            return "source " + record.source() + " is not in --allowed-sources " + allowedSources;
        }
        if (!allowedNodes.allows(record.node())) {
            return "node " + record.node() + " is not in --allowed-nodes " + allowedNodes;
        }
        return null;
    }

    /** @param bytesLimit the node's byte-rate bucket, or null when unlimited */
    DeliveryResult deliver(EnqueueRecord record, TokenBucket bytesLimit) throws InterruptedException {
        String refused = refusal(record);
        if (refused != null) {
            // Checked before any dial: an address taken from a record is not trusted until it is allowed.
            return new DeliveryResult.Park(ParkReason.NOT_ALLOWED, refused);
        }
        Context.CancellableContext fetchContext = Context.current().withCancellation();
        FetchWatchdog watchdog = new FetchWatchdog(fetchContext, timer, fetchIdleTimeout);
        try {
            FetchRequest request = FetchRequest.newBuilder().setPart(ProtoMapping.toProto(record.part()))
                .setChunkSize(chunkSize).build();
            Iterator<FileChunk> chunks = fetchContext.call(
                () -> PartStoreGrpc.newBlockingStub(sources.get(record.source())).fetch(request));
            if (!hasNext(chunks, watchdog)) {
                throw new BundleMismatchException(ParkReason.SOURCE_MISMATCH, "the source served no file");
            }
            try (PartSink.Session session = sink.open(record, sender)) {
                return stream(record, chunks, session, bytesLimit, watchdog);
            }
        } catch (SourceException e) {
            if (watchdog.fired()) {
                // The connection may be dead without a word (a partition): the next fetch connects afresh.
                sources.reset(record.source());
                return DeliveryFailures.sourceStalled(watchdog.timeout());
            }
            return DeliveryFailures.ofSource(e.code, e.getMessage());
        } catch (BundleMismatchException e) {
            return new DeliveryResult.Park(e.reason(), e.getMessage());
        } catch (SinkException e) {
            return DeliveryFailures.ofSink(e);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            return new DeliveryResult.Retry(false, "delivery failed: " + e);
        } finally {
            watchdog.close();
            fetchContext.cancel(null);
        }
    }

    private DeliveryResult stream(EnqueueRecord record, Iterator<FileChunk> chunks, PartSink.Session session,
                                  TokenBucket bytesLimit, FetchWatchdog watchdog) throws Exception {
        ManifestVerifier verifier = new ManifestVerifier(record.types());
        boolean open = true;
        while (open && hasNext(chunks, watchdog)) {
            FileChunk chunk = chunks.next();
            try {
                verifier.accept(chunk);
            } catch (BundleMismatchException e) {
                session.cancel(e.reason());
                throw e;
            }
            if (bytesLimit != null && !bytesLimit.take(chunk.getData().size(), delay)) {
                session.cancel("replayer stopping");
                throw new InterruptedException("replayer stopping");
            }
            open = session.send(new PartSink.Chunk(chunk.getType(), chunk.getName(), chunk.getOffset(),
                chunk.getData().asReadOnlyByteBuffer(), chunk.getLast()));
        }
        if (open) {
            try {
                verifier.requireComplete();
            } catch (BundleMismatchException e) {
                session.cancel(e.reason());
                throw e;
            }
        }
        return DeliveryFailures.ofAnswer(session.commit());
    }

    private static boolean hasNext(Iterator<FileChunk> chunks, FetchWatchdog watchdog) throws SourceException {
        watchdog.arm();
        try {
            return chunks.hasNext();
        } catch (StatusRuntimeException e) {
            throw new SourceException(e);
        } finally {
            watchdog.disarm();
        }
    }

    /** The part store failed the fetch. */
    private static final class SourceException extends Exception {
        private static final long serialVersionUID = 1L;
        private final Status.Code code;

        SourceException(StatusRuntimeException e) {
            super("source " + e.getStatus().getCode() + ": " + e.getStatus().getDescription(), e);
            this.code = e.getStatus().getCode();
        }
    }
}
