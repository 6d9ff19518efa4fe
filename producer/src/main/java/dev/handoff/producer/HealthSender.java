package dev.handoff.producer;

import dev.handoff.protocol.HealthEvent;
import dev.handoff.protocol.common.Daemons;
import dev.handoff.protocol.common.FirstWriteGuard;
import dev.handoff.protocol.common.HealthEvents;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends health events off the caller's thread: the callers are gRPC callback threads holding a node's lock,
 * and a send may block on metadata for up to {@code max.block.ms}. One thread it owns sends; a newer event of
 * a node replaces an older one not sent yet (the topology keeps the latest by time anyway). Thread-safe.
 */
final class HealthSender implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(HealthSender.class);

    private final String topic;
    private final Supplier<FirstWriteGuard<String, byte[]>> client;
    /** Health events not sent yet, the latest per node. */
    private final ConcurrentHashMap<String, HealthEvent> outbox = new ConcurrentHashMap<>();
    private final ExecutorService sender = Executors.newSingleThreadExecutor(Daemons.factory("handoff-producer-health-send"));

    /** Sends to {@code topic} through whatever client {@code client} gives at the time of the send. */
    HealthSender(String topic, Supplier<FirstWriteGuard<String, byte[]>> client) {
        this.topic = topic;
        this.client = client;
    }

    /** Queues the event and returns at once. A failed send is logged; the next heartbeat repeats the state. */
    void send(HealthEvent event) {
        if (outbox.put(event.node(), event) == null) {
            try {
                sender.execute(() -> sendLatest(event.node()));
            } catch (RejectedExecutionException e) {
                LOGGER.atDebug().addKeyValue("node", event.node()).log("publisher closed; health event not sent");
            }
        }
    }

    private void sendLatest(String node) {
        HealthEvent event = outbox.remove(node);
        if (event != null) {
            HealthEvents.send(client.get(), topic, event);
        }
    }

    @Override
    public void close() {
        sender.shutdownNow();
    }
}
