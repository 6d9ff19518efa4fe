package dev.handoff.protocol;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Every topic name of the contract, derived from one prefix (default {@code handoff}). */
public final class Topics {
    public static final String DEFAULT_PREFIX = "handoff";
    /**
     * The topology's default Kafka Streams {@code application.id}: its consumer group, which the replayer's
     * trim guard reads, and the prefix of its internal topics. Shared by both roles, so declared here once.
     */
    public static final String DEFAULT_TOPOLOGY_APPLICATION_ID = "handoff-topology";
    /**
     * The replayers' default consumer group, whose committed offsets say which records are pending: the replayer
     * joins it, the producer's store check and the CLI's {@code store}/{@code wait} read it.
     */
    public static final String DEFAULT_REPLAYER_GROUP_ID = "handoff-replayer";
    /** Kafka's limit on a topic name's length. */
    public static final int MAX_TOPIC_LENGTH = 249;
    private static final String NODE_INFIX = ".node.";
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    private final String prefix;

    public Topics(String prefix) {
        if (prefix == null || !PREFIX.matcher(prefix).matches() || prefix.startsWith(".") || prefix.endsWith(".")) {
            throw new InvalidNameException("topicPrefix", prefix,
                "only [A-Za-z0-9._-], 1-100 characters, not starting or ending with \".\"");
        }
        this.prefix = prefix;
    }

    public static Topics defaults() {
        return new Topics(DEFAULT_PREFIX);
    }

    public String prefix() {
        return prefix;
    }

    public String health() {
        return prefix + ".health";
    }

    public String control() {
        return prefix + ".control";
    }

    public String completions() {
        return prefix + ".completions";
    }

    public String nodeStatus() {
        return prefix + ".node-status";
    }

    public String released() {
        return prefix + ".released";
    }

    public String parked() {
        return prefix + ".parked";
    }

    /** Unreadable health, control and completion records the topology kept, byte for byte, with why. */
    public String quarantine() {
        return prefix + ".quarantine";
    }

    /**
     * The topology's copy of every node-topic record, made exactly once by its enqueue relay, with the source
     * topic, partition and offset in headers; the topology reads this fixed topic instead of the node-topic
     * pattern, so a new node topic never fails one of its stream threads. Copies already read are deleted.
     */
    public String enqueued() {
        return prefix + ".enqueued";
    }

    /** The fixed topics that {@code handoff init} creates. */
    public List<String> fixed() {
        return List.of(health(), control(), completions(), nodeStatus(), released(), parked(), quarantine(), enqueued());
    }

    /** {@code <prefix>.node.<token>} for a valid node address; refuses one whose topic would be too long. */
    public String node(String node) {
        String topic = prefix + NODE_INFIX + NodeAddress.token(node);
        if (topic.length() > MAX_TOPIC_LENGTH) {
            throw new InvalidFieldException("node", node, "its topic " + topic.substring(0, 40) + "... would be "
                + topic.length() + " characters; Kafka allows " + MAX_TOPIC_LENGTH);
        }
        return topic;
    }

    /** Matches every node topic of this prefix, including ones created later. */
    public Pattern nodePattern() {
        return Pattern.compile(Pattern.quote(prefix + NODE_INFIX) + "[A-Za-z0-9.-]+");
    }

    /** The node address of a node topic, or empty when the topic is not one. */
    public Optional<String> nodeOf(String topic) {
        if (topic == null || !nodePattern().matcher(topic).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(NodeAddress.fromToken(topic.substring(prefix.length() + NODE_INFIX.length())));
        } catch (InvalidFieldException e) {
            return Optional.empty();
        }
    }
}
