package dev.handoff.cli.sim;

import dev.handoff.producer.HandoffProducer;
import dev.handoff.producer.PublishException;
import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.FileEntry;
import dev.handoff.protocol.HandoffException;
import dev.handoff.protocol.PartTypeEntry;
import dev.handoff.replayer.PartSink;
import dev.handoff.replayer.SinkException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays a liaison: writes each part, ships it straight to every owner that answers (PartSync), and hands
 * it off through the producer for every owner that does not — exactly the path a database's write path
 * takes. Thread-safe: parts may be shipped from several threads (the producer and the sink are).
 */
public final class SimulatedLiaison {
    private static final Logger LOGGER = LoggerFactory.getLogger(SimulatedLiaison.class);
    private static final int CHUNK = 1 << 20;
    /** Enqueue attempts per part when Kafka does not acknowledge (the bundle stays stored in between). */
    static final int ENQUEUE_ATTEMPTS = 3;
    private static final Duration RETRY_PAUSE = Duration.ofMillis(500);

    private final HandoffProducer producer;
    private final PartSink sink;
    private final List<String> owners;
    private final Clock clock;

    /**
     * What happened to one part: the owners that got it directly, those it was handed off for, and how
     * many times its enqueue was retried after a failed publish.
     */
    public record Shipment(PartFactory.Part part, List<String> direct, List<String> handedOff, int publishRetries) {
    }

    public SimulatedLiaison(HandoffProducer producer, PartSink sink, List<String> owners, Clock clock) {
        this.producer = producer;
        this.sink = sink;
        this.owners = List.copyOf(owners);
        this.clock = clock;
    }

    /** Ships a written part to every owner, handing it off for those that do not answer. */
    public Shipment ship(PartFactory.Part part) throws IOException, HandoffException {
        List<String> direct = new ArrayList<>();
        List<String> missed = new ArrayList<>();
        for (String node : owners) {
            if (sendDirect(node, part)) {
                direct.add(node);
            } else {
                missed.add(node);
                producer.reportDown(node);
            }
        }
        int retries = missed.isEmpty() ? 0 : enqueue(part, missed);
        return new Shipment(part, direct, missed, retries);
    }

    /**
     * Hands the part off as a liaison would: a failed publish (Kafka did not acknowledge in time) is
     * retried, up to {@link #ENQUEUE_ATTEMPTS} attempts; the producer keeps the bundle stored meanwhile,
     * so a retry only publishes. Returns how many retries it took.
     */
    private int enqueue(PartFactory.Part part, List<String> missed) throws HandoffException {
        for (int attempt = 1; ; attempt++) {
            try {
                producer.enqueue(part.bundle(), missed);
                return attempt - 1;
            } catch (PublishException e) {
                if (attempt == ENQUEUE_ATTEMPTS) {
                    throw e;
                }
                LOGGER.atWarn().addKeyValue("part", part.key()).addKeyValue("attempt", attempt)
                    .addKeyValue("error", e.getMessage()).log("enqueue not acknowledged; retrying");
                try {
                    TimeUnit.MILLISECONDS.sleep(RETRY_PAUSE.toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private boolean sendDirect(String node, PartFactory.Part part) throws IOException {
        EnqueueRecord header = new EnqueueRecord(node, owners, part.key().liaison(), producer.advertisedAddress(),
            part.key().group(), part.key().shard(), part.key().partId(), part.types(), part.bytes(), clock.millis(), null);
        try (PartSink.Session session = sink.open(header, "liaison:" + part.key().liaison())) {
            boolean open = true;
            for (int t = 0; t < part.types().size() && open; t++) {
                PartTypeEntry type = part.types().get(t);
                Path dir = part.bundle().types().get(t).directory();
                for (FileEntry file : type.files()) {
                    open = streamFile(session, type.type(), dir.resolve(file.name()));
                    if (!open) {
                        break;
                    }
                }
            }
            PartSink.SyncResult result = session.commit();
            return result.status() == PartSink.SyncResult.Status.APPLIED
                || result.status() == PartSink.SyncResult.Status.DUPLICATE;
        } catch (SinkException e) {
            return false;
        }
    }

    /** Streams one file in chunks; false when the receiver already answered (DUPLICATE). */
    private static boolean streamFile(PartSink.Session session, String type, Path file) throws IOException, SinkException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            long offset = 0;
            ByteBuffer buf = ByteBuffer.allocate(CHUNK);
            do {
                buf.clear();
                int n = Math.max(0, ch.read(buf, offset));
                buf.flip();
                boolean last = offset + n >= size;
                if (!session.send(new PartSink.Chunk(type, file.getFileName().toString(), offset, buf.asReadOnlyBuffer(), last))) {
                    return false;
                }
                offset += n;
                if (last) {
                    return true;
                }
            } while (true);
        }
    }
}
