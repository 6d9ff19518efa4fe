package dev.handoff.producer;

import dev.handoff.protocol.common.TopicAdmin;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics the producer writes through the Admin API on first use, and remembers which exist so a
 * publish asks the broker once per topic. Owns its creator (and so the admin client). Thread-safe.
 */
final class TopicEnsurer implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(TopicEnsurer.class);

    /** Creates a topic unless it exists; true when this call created it. A seam for unit tests. */
    interface Creator {
        boolean ensure(String topic, TopicAdmin.TopicSettings settings, Map<String, String> configs, Duration timeout)
            throws ExecutionException, InterruptedException, TimeoutException;
    }

    private final Creator creator;
    private final Duration publishTimeout;
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    TopicEnsurer(Creator creator, Duration publishTimeout) {
        this.creator = creator;
        this.publishTimeout = publishTimeout;
    }

    /** The production creator: the Admin API through an admin client the ensurer owns. */
    static Creator admin(Admin admin) {
        return new AdminCreator(admin);
    }

    /** Makes sure {@code topic} exists, within what is left of {@code deadlineNanos} ({@link System#nanoTime}). */
    void ensure(String topic, TopicAdmin.TopicSettings settings, Map<String, String> configs, long deadlineNanos)
        throws PublishException {
        if (known.contains(topic)) {
            return;
        }
        try {
            if (creator.ensure(topic, settings, configs, Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime())))) {
                LOGGER.atInfo().addKeyValue("topic", topic).log("created topic");
            }
            known.add(topic);
        } catch (ExecutionException e) {
            throw new PublishException("cannot create topic " + topic, e.getCause());
        } catch (TimeoutException e) {
            throw new PublishException("topic " + topic + " not created within " + publishTimeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishException("interrupted while creating topic " + topic, e);
        }
    }

    @Override
    public void close() {
        if (creator instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                LOGGER.atWarn().addKeyValue("error", e.toString()).log("error while closing the admin client");
            }
        }
    }

    private record AdminCreator(Admin admin) implements Creator, AutoCloseable {
        @Override
        public boolean ensure(String topic, TopicAdmin.TopicSettings s, Map<String, String> configs, Duration timeout)
            throws ExecutionException, InterruptedException, TimeoutException {
            return TopicAdmin.ensure(admin, topic, s, configs, timeout);
        }

        @Override
        public void close() {
            admin.close(Duration.ofSeconds(10));
        }
    }
}
