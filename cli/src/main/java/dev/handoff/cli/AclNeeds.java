package dev.handoff.cli;

import dev.handoff.protocol.Topics;
import dev.handoff.protocol.TopologyGroups;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The Kafka rights each role uses, read from the roles' code: one {@link Need} per operation and resource.
 * docs/SECURITY.md ("ACLs each role needs") lists the same grants; keep the two in step. DESCRIBE is listed only
 * where no other needed operation implies it (an ALLOW of READ, WRITE, DELETE or ALTER does).
 */
final class AclNeeds {
    private AclNeeds() {
    }

    /** The roles whose rights {@code handoff doctor} checks. */
    enum Role {
        producer, topology, replayer, operator
    }

    /**
     * The names the roles run with, as the doctor was told them.
     *
     * @param liaison the producer's {@code --liaison} (its garbage collection group); null: not given
     * @param topologyApplicationId the topology's application id; the replayer's guard reads its groups
     * @param topologyCreatesTopics the topology's {@code --create-topics}: it then creates (so needs CREATE on) every fixed topic
     */
    record Ids(Topics topics, String replayerGroup, String topologyApplicationId, String liaison, boolean topologyCreatesTopics) {
    }

    /** A resource: one literal name, or (prefixed) every name that starts with {@code name}. */
    record Resource(ResourceType type, String name, boolean prefixed) {
        static Resource literal(ResourceType type, String name) {
            return new Resource(type, name, false);
        }

        static Resource prefixed(ResourceType type, String name) {
            return new Resource(type, name, true);
        }

        /** {@code TOPIC:handoff.health}; a prefixed one ends in {@code *}. */
        String display() {
            return type + ":" + name + (prefixed ? "*" : "");
        }
    }

    /** One operation on one resource, and the roles that need it. */
    record Need(Resource resource, AclOperation operation, Set<Role> roles) {
        /** {@code WRITE on TRANSACTIONAL_ID:handoff-replayer-* (needed by replayer)}. */
        String line() {
            return operation + " on " + resource.display() + " (needed by "
                + roles.stream().map(Enum::name).collect(Collectors.joining(", ")) + ")";
        }
    }

    /** Every need of {@code roles}, one per resource and operation (the roles that share one merged), in a stable order. */
    static List<Need> of(Set<Role> roles, Ids ids) {
        Map<Resource, Map<AclOperation, Set<Role>>> merged = new LinkedHashMap<>();
        for (Role role : EnumSet.copyOf(roles)) {
            grants(role, ids).forEach((resource, ops) -> ops.forEach(op ->
                merged.computeIfAbsent(resource, r -> new LinkedHashMap<>())
                    .computeIfAbsent(op, o -> EnumSet.noneOf(Role.class)).add(role)));
        }
        List<Need> out = new ArrayList<>();
        merged.forEach((resource, ops) -> ops.forEach((op, who) -> out.add(new Need(resource, op, who))));
        return out;
    }

    /** What of {@code roles} cannot be named with the ids given (so is not checked), one line each. */
    static List<String> unnamed(Set<Role> roles, Ids ids) {
        return roles.contains(Role.producer) && ids.liaison() == null
            ? List.of("READ on GROUP:handoff-producer-<liaison> (needed by producer; give --liaison)") : List.of();
    }

    private static Map<Resource, Set<AclOperation>> grants(Role role, Ids ids) {
        Topics t = ids.topics();
        Grants g = new Grants();
        Resource nodeTopics = Resource.prefixed(ResourceType.TOPIC, t.prefix() + ".node.");
        String appId = ids.topologyApplicationId();
        switch (role) {
            case producer -> {
                // RecordPublisher.ensureFixedTopics and every publish call createTopics: the broker checks CREATE first
                g.topic(t.health(), AclOperation.CREATE, AclOperation.WRITE);
                g.topic(t.released(), AclOperation.CREATE, AclOperation.READ);
                g.topic(t.completions(), AclOperation.CREATE, AclOperation.READ);
                // READ: the periodic store check (StoreCheckReader) reads the pending records
                g.add(nodeTopics, AclOperation.CREATE, AclOperation.WRITE, AclOperation.READ);
                if (ids.liaison() != null) {
                    g.group("handoff-producer-" + ids.liaison(), AclOperation.READ);
                }
                g.group(ids.replayerGroup(), AclOperation.DESCRIBE);
            }
            case topology -> {
                if (ids.topologyCreatesTopics()) {
                    t.fixed().forEach(topic -> g.topic(topic, AclOperation.CREATE));
                }
                for (String in : List.of(t.health(), t.control(), t.completions())) {
                    g.topic(in, AclOperation.READ);
                }
                // the enqueue relay writes copies, Streams reads them, CopyPurger deletes those read
                g.topic(t.enqueued(), AclOperation.READ, AclOperation.WRITE, AclOperation.DELETE);
                for (String out : List.of(t.nodeStatus(), t.released(), t.quarantine())) {
                    g.topic(out, AclOperation.WRITE);
                }
                g.add(nodeTopics, AclOperation.READ);
                g.add(Resource.prefixed(ResourceType.TOPIC, appId + "-"), AclOperation.CREATE, AclOperation.READ,
                    AclOperation.WRITE, AclOperation.DELETE, AclOperation.DESCRIBE_CONFIGS);
                g.group(appId, AclOperation.READ);
                g.group(TopologyGroups.relayGroup(appId), AclOperation.READ);
                // exactly_once_v2: <appId>-<process>-<thread>; the relay: <appId>-enqueue-relay-<instance>
                g.add(Resource.prefixed(ResourceType.TRANSACTIONAL_ID, appId + "-"), AclOperation.DESCRIBE, AclOperation.WRITE);
            }
            case replayer -> {
                g.topic(t.nodeStatus(), AclOperation.READ);
                for (String out : List.of(t.completions(), t.parked(), t.health())) {
                    g.topic(out, AclOperation.WRITE);
                }
                // DELETE: LogStartAdvancer's deleteRecords; WRITE: a retarget's copies for the stand-in's topic
                g.add(nodeTopics, AclOperation.READ, AclOperation.DELETE, AclOperation.WRITE);
                g.group(ids.replayerGroup(), AclOperation.READ);
                if (!appId.isEmpty()) {
                    // LogStartAdvancer's guard reads the relay's committed offsets, or the Streams group's
                    g.group(TopologyGroups.relayGroup(appId), AclOperation.DESCRIBE);
                    g.group(appId, AclOperation.DESCRIBE);
                }
                // <group>-<instance>, the instance random per start unless --instance-id
                g.add(Resource.prefixed(ResourceType.TRANSACTIONAL_ID, ids.replayerGroup() + "-"),
                    AclOperation.DESCRIBE, AclOperation.WRITE);
            }
            case operator -> {
                g.topic(t.control(), AclOperation.WRITE);
                g.topic(t.nodeStatus(), AclOperation.READ);
                g.topic(t.parked(), AclOperation.READ, AclOperation.WRITE);
                g.topic(t.quarantine(), AclOperation.READ);
                g.topic(t.completions(), AclOperation.READ);
                // wait and store check read node topics, parked redrive writes them, retarget creates the new node's
                g.add(nodeTopics, AclOperation.READ, AclOperation.WRITE, AclOperation.CREATE);
                g.group(ids.replayerGroup(), AclOperation.DESCRIBE);
            }
            default -> throw new IllegalStateException("unreachable");
        }
        return g.all;
    }

    /** Collects one role's grants in order. */
    private static final class Grants {
        final Map<Resource, Set<AclOperation>> all = new LinkedHashMap<>();

        void add(Resource r, AclOperation... ops) {
            all.computeIfAbsent(r, k -> EnumSet.noneOf(AclOperation.class)).addAll(List.of(ops));
        }

        void topic(String name, AclOperation... ops) {
            add(Resource.literal(ResourceType.TOPIC, name), ops);
        }

        void group(String name, AclOperation... ops) {
            add(Resource.literal(ResourceType.GROUP, name), ops);
        }
    }
}
