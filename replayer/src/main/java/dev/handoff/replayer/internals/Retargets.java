package dev.handoff.replayer.internals;

import dev.handoff.protocol.NodeStatus;
import dev.handoff.protocol.RetargetChain;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.common.HandoffHeaders;
import dev.handoff.protocol.json.Codecs;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the records of a replaced node go ({@code handoff retarget OLD NEW}): the end of its {@link RetargetChain},
 * when that node's topic exists, and the copy of a record for that node. Poll thread only.
 */
final class Retargets {
    private static final Logger LOGGER = LoggerFactory.getLogger(Retargets.class);

    private final Topics topics;
    private final Function<String, NodeStatus> statuses;
    /** Whether a topic exists (the group consumer's metadata): a record is moved only to an existing node topic. */
    private Predicate<String> topicExists = t -> false;
    /** Replaced nodes whose records wait because the replacement's topic is missing or the replacements loop. */
    private final Set<String> held = new HashSet<>();

    Retargets(Topics topics, Function<String, NodeStatus> statuses) {
        this.topics = topics;
        this.statuses = statuses;
    }

    void topicExists(Predicate<String> exists) {
        this.topicExists = exists;
    }

    /**
     * The node that replaces {@code node} when its records can be moved there now; null when the node is not
     * replaced, or its records must wait (the replacement's topic does not exist yet, or the replacements loop).
     */
    String standIn(String node, NodeStatus status) {
        if (status == null || status.retargetTo() == null) {
            held.remove(node);
            return null;
        }
        Optional<String> to = RetargetChain.from(node, statuses).standIn();
        if (to.isPresent() && topicExists.test(topics.node(to.get()))) {
            held.remove(node);
            return to.get();
        }
        if (held.add(node)) {
            LOGGER.atError().addKeyValue("node", node).addKeyValue("retargetTo", status.retargetTo())
                .addKeyValue("standIn", to.orElse(null))
                .log(to.isPresent() ? "the replacement node's topic does not exist; records wait (create it, or retarget"
                    + " again with handoff retarget, which creates it)" : "the node's replacements form a loop (or a chain of over "
                    + RetargetChain.MAX_HOPS + "); records wait until a retarget ends it");
        }
        return null;
    }

    /**
     * The record of {@code w} enqueued for {@code to} (same key, {@code to} among its targets), for {@code to}'s topic,
     * with headers naming the node it was for and where it was read; null when {@code to} is one of the bundle's
     * targets already (it has, or will have, a record of its own).
     */
    static ProducerRecord<String, byte[]> copy(Topics topics, Pending w, String to) {
        if (w.record.targets().contains(to)) {
            return null;
        }
        RecordHeaders headers = new RecordHeaders();
        HandoffHeaders.put(headers, HandoffHeaders.RETARGETED_FROM, w.node);
        HandoffHeaders.putSource(headers, w.raw.topic(), w.raw.partition(), w.raw.offset());
        return new ProducerRecord<>(topics.node(to), null, w.raw.key(), Codecs.ENQUEUE.encode(w.record.retargeted(to)),
            headers);
    }
}
