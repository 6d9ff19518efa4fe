package dev.handoff.e2e.security;

import dev.handoff.embedded.EmbeddedKafkaCluster;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.TopologyGroups;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The least Kafka ACLs each role needs, as listed in docs/SECURITY.md; {@link SaslIT} runs the roles with
 * exactly these on a broker that denies everything else. Keep the two in step.
 */
final class RoleAcls {
    private RoleAcls() {
    }

    /** One grant: resource type, name, pattern type, operations. */
    record Grant(ResourceType type, String name, PatternType pattern, List<AclOperation> operations) {
    }

    static List<Grant> producer(String prefix, String liaison) {
        Topics t = new Topics(prefix);
        return List.of(
            new Grant(ResourceType.TOPIC, prefix + ".node.", PatternType.PREFIXED,
                List.of(AclOperation.CREATE, AclOperation.DESCRIBE, AclOperation.WRITE)),
            new Grant(ResourceType.TOPIC, t.health(), PatternType.LITERAL,
                List.of(AclOperation.CREATE, AclOperation.DESCRIBE, AclOperation.WRITE)),
            new Grant(ResourceType.TOPIC, t.released(), PatternType.LITERAL,
                List.of(AclOperation.CREATE, AclOperation.DESCRIBE, AclOperation.READ)),
            new Grant(ResourceType.TOPIC, t.completions(), PatternType.LITERAL,
                List.of(AclOperation.CREATE, AclOperation.DESCRIBE, AclOperation.READ)),
            new Grant(ResourceType.GROUP, "handoff-producer-" + liaison, PatternType.LITERAL, List.of(AclOperation.READ)));
    }

    static List<Grant> replayer(String prefix, String groupId) {
        Topics t = new Topics(prefix);
        return List.of(
            // WRITE: a retarget's copies (docs/SECURITY.md)
            new Grant(ResourceType.TOPIC, prefix + ".node.", PatternType.PREFIXED,
                List.of(AclOperation.DESCRIBE, AclOperation.READ, AclOperation.DELETE, AclOperation.WRITE)),
            new Grant(ResourceType.TOPIC, t.nodeStatus(), PatternType.LITERAL, List.of(AclOperation.DESCRIBE, AclOperation.READ)),
            new Grant(ResourceType.TOPIC, t.completions(), PatternType.LITERAL, List.of(AclOperation.DESCRIBE, AclOperation.WRITE)),
            new Grant(ResourceType.TOPIC, t.parked(), PatternType.LITERAL, List.of(AclOperation.DESCRIBE, AclOperation.WRITE)),
            new Grant(ResourceType.TOPIC, t.health(), PatternType.LITERAL, List.of(AclOperation.DESCRIBE, AclOperation.WRITE)),
            new Grant(ResourceType.GROUP, groupId, PatternType.LITERAL, List.of(AclOperation.READ)),
            // the log-start guard reads the topology's relay group's committed offsets (--topology-application-id),
            // and the Streams group's while no relay group exists
            new Grant(ResourceType.GROUP, TopologyGroups.relayGroup(Topics.DEFAULT_TOPOLOGY_APPLICATION_ID), PatternType.LITERAL,
                List.of(AclOperation.DESCRIBE)),
            new Grant(ResourceType.GROUP, Topics.DEFAULT_TOPOLOGY_APPLICATION_ID, PatternType.LITERAL,
                List.of(AclOperation.DESCRIBE)),
            new Grant(ResourceType.TRANSACTIONAL_ID, groupId + "-", PatternType.PREFIXED,
                List.of(AclOperation.DESCRIBE, AclOperation.WRITE)));
    }

    /** Creates the grants for {@code User:<user>} as the cluster's super user. */
    static void grant(EmbeddedKafkaCluster cluster, String prefix, String user, List<Grant> grants) throws Exception {
        List<AclBinding> bindings = new ArrayList<>();
        for (Grant g : grants) {
            for (AclOperation op : g.operations()) {
                bindings.add(new AclBinding(new ResourcePattern(g.type(), g.name(), g.pattern()),
                    new AccessControlEntry("User:" + user, "*", op, AclPermissionType.ALLOW)));
            }
        }
        Map<String, Object> config = new HashMap<>(cluster.superUserClientProperties());
        config.put("bootstrap.servers", cluster.bootstrapServers());
        try (Admin admin = Admin.create(config)) {
            admin.createAcls(bindings).all().get();
        }
    }
}
