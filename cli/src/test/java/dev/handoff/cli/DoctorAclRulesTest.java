package dev.handoff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.cli.AclNeeds.Resource;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

/** {@code handoff doctor}'s reading of ACL bindings follows Kafka's standard authorizer, without a broker. */
class DoctorAclRulesTest {
    private static final String ME = "User:doctor";
    private static final Resource REPLAYER_IDS = Resource.prefixed(ResourceType.TRANSACTIONAL_ID, "handoff-replayer-");
    private static final Resource HEALTH = Resource.literal(ResourceType.TOPIC, "handoff.health");

    private static AclBinding acl(ResourceType type, String name, PatternType pattern, String principal, AclOperation op,
                                  AclPermissionType permission) {
        return acl(type, name, pattern, principal, "*", op, permission);
    }

    private static AclBinding acl(ResourceType type, String name, PatternType pattern, String principal, String host,
                                  AclOperation op, AclPermissionType permission) {
        return new AclBinding(new ResourcePattern(type, name, pattern), new AccessControlEntry(principal, host, op, permission));
    }

    private static boolean allowed(List<AclBinding> acls, Resource r, AclOperation op) {
        return AclRules.evaluate(acls, ME, r, op).allowed();
    }

    @Test
    void shouldAllowByALiteralNameOnlyForThatName() {
        List<AclBinding> acls = List.of(acl(ResourceType.TOPIC, "handoff.health", PatternType.LITERAL, ME, AclOperation.WRITE,
            AclPermissionType.ALLOW));
        assertThat(allowed(acls, HEALTH, AclOperation.WRITE)).isTrue();
        assertThat(allowed(acls, Resource.literal(ResourceType.TOPIC, "handoff.healthy"), AclOperation.WRITE)).isFalse();
        assertThat(allowed(acls, HEALTH, AclOperation.READ)).isFalse();
        // another resource type of the same name is another resource
        assertThat(allowed(acls, Resource.literal(ResourceType.GROUP, "handoff.health"), AclOperation.WRITE)).isFalse();
        // a literal name never covers every name under a prefix
        assertThat(allowed(List.of(acl(ResourceType.TRANSACTIONAL_ID, "handoff-replayer-a", PatternType.LITERAL, ME,
            AclOperation.WRITE, AclPermissionType.ALLOW)), REPLAYER_IDS, AclOperation.WRITE)).isFalse();
    }

    @Test
    void shouldAllowByAPrefixThatCoversTheWholeResource() {
        List<AclBinding> acls = List.of(acl(ResourceType.TRANSACTIONAL_ID, "handoff-", PatternType.PREFIXED, ME,
            AclOperation.WRITE, AclPermissionType.ALLOW));
        assertThat(allowed(acls, REPLAYER_IDS, AclOperation.WRITE)).isTrue();
        assertThat(allowed(acls, Resource.literal(ResourceType.TRANSACTIONAL_ID, "handoff-replayer-7"), AclOperation.WRITE)).isTrue();
        // a longer prefix covers only part of handoff-replayer-*
        List<AclBinding> longer = List.of(acl(ResourceType.TRANSACTIONAL_ID, "handoff-replayer-a", PatternType.PREFIXED, ME,
            AclOperation.WRITE, AclPermissionType.ALLOW));
        assertThat(allowed(longer, REPLAYER_IDS, AclOperation.WRITE)).isFalse();
    }

    @Test
    void shouldAllowByTheWildcardNameAndTheWildcardPrincipal() {
        assertThat(allowed(List.of(acl(ResourceType.TRANSACTIONAL_ID, "*", PatternType.LITERAL, ME, AclOperation.WRITE,
            AclPermissionType.ALLOW)), REPLAYER_IDS, AclOperation.WRITE)).isTrue();
        assertThat(allowed(List.of(acl(ResourceType.TOPIC, "handoff.health", PatternType.LITERAL, "User:*", AclOperation.WRITE,
            AclPermissionType.ALLOW)), HEALTH, AclOperation.WRITE)).isTrue();
        assertThat(allowed(List.of(acl(ResourceType.TOPIC, "handoff.health", PatternType.LITERAL, "User:someone-else",
            AclOperation.WRITE, AclPermissionType.ALLOW)), HEALTH, AclOperation.WRITE)).isFalse();
    }

    @Test
    void shouldLetADenyBeatEveryAllow() {
        // Given ALL allowed by the wildcard and WRITE denied to this principal by a prefix
        List<AclBinding> acls = List.of(
            acl(ResourceType.TRANSACTIONAL_ID, "*", PatternType.LITERAL, ME, AclOperation.ALL, AclPermissionType.ALLOW),
            acl(ResourceType.TRANSACTIONAL_ID, "handoff-", PatternType.PREFIXED, ME, AclOperation.WRITE, AclPermissionType.DENY));
        // Then WRITE is denied, naming the DENY, and DESCRIBE still allowed
        AclRules.Verdict write = AclRules.evaluate(acls, ME, REPLAYER_IDS, AclOperation.WRITE);
        assertThat(write.allowed()).isFalse();
        assertThat(write.why()).isEqualTo("denied by DENY WRITE on TRANSACTIONAL_ID:handoff-* for User:doctor");
        assertThat(allowed(acls, REPLAYER_IDS, AclOperation.DESCRIBE)).isTrue();
        // a DENY for every principal denies this one too; a DENY of ALL denies every operation
        assertThat(allowed(List.of(acl(ResourceType.TOPIC, "handoff.health", PatternType.LITERAL, ME, AclOperation.WRITE,
                AclPermissionType.ALLOW), acl(ResourceType.TOPIC, "*", PatternType.LITERAL, "User:*", AclOperation.ALL,
                AclPermissionType.DENY)), HEALTH, AclOperation.WRITE)).isFalse();
    }

    @Test
    void shouldDenyAPrefixedResourceWhenADenyCoversAnyOfIt() {
        List<AclBinding> acls = List.of(
            acl(ResourceType.TRANSACTIONAL_ID, "handoff-replayer-", PatternType.PREFIXED, ME, AclOperation.WRITE, AclPermissionType.ALLOW),
            acl(ResourceType.TRANSACTIONAL_ID, "handoff-replayer-old", PatternType.LITERAL, ME, AclOperation.WRITE, AclPermissionType.DENY));
        assertThat(allowed(acls, REPLAYER_IDS, AclOperation.WRITE)).isFalse();
        assertThat(allowed(acls, Resource.literal(ResourceType.TRANSACTIONAL_ID, "handoff-replayer-new"), AclOperation.WRITE)).isTrue();
    }

    @Test
    void shouldImplyDescribeOnlyFromAnAllow() {
        // READ, WRITE, DELETE and ALTER allowed imply DESCRIBE; ALTER_CONFIGS implies DESCRIBE_CONFIGS
        for (AclOperation op : List.of(AclOperation.READ, AclOperation.WRITE, AclOperation.DELETE, AclOperation.ALTER)) {
            assertThat(allowed(List.of(acl(ResourceType.GROUP, "g", PatternType.LITERAL, ME, op, AclPermissionType.ALLOW)),
                Resource.literal(ResourceType.GROUP, "g"), AclOperation.DESCRIBE)).as(op.name()).isTrue();
        }
        assertThat(allowed(List.of(acl(ResourceType.TOPIC, "handoff.health", PatternType.LITERAL, ME, AclOperation.ALTER_CONFIGS,
            AclPermissionType.ALLOW)), HEALTH, AclOperation.DESCRIBE_CONFIGS)).isTrue();
        assertThat(allowed(List.of(acl(ResourceType.TOPIC, "handoff.health", PatternType.LITERAL, ME, AclOperation.CREATE,
            AclPermissionType.ALLOW)), HEALTH, AclOperation.DESCRIBE)).isFalse();
        // a DENY of READ does not deny DESCRIBE
        assertThat(allowed(List.of(
            acl(ResourceType.GROUP, "g", PatternType.LITERAL, ME, AclOperation.DESCRIBE, AclPermissionType.ALLOW),
            acl(ResourceType.GROUP, "g", PatternType.LITERAL, ME, AclOperation.READ, AclPermissionType.DENY)),
            Resource.literal(ResourceType.GROUP, "g"), AclOperation.DESCRIBE)).isTrue();
    }

    @Test
    void shouldCountAHostBindingWhenItDeniesAndNotWhenItAllows() {
        AclRules.Verdict v = AclRules.evaluate(List.of(acl(ResourceType.TOPIC, "handoff.health", PatternType.LITERAL, ME,
            "10.0.0.1", AclOperation.WRITE, AclPermissionType.ALLOW)), ME, HEALTH, AclOperation.WRITE);
        assertThat(v.allowed()).isFalse();
        assertThat(v.why()).contains("only from one host");
        assertThat(allowed(List.of(
            acl(ResourceType.TOPIC, "handoff.health", PatternType.LITERAL, ME, AclOperation.WRITE, AclPermissionType.ALLOW),
            acl(ResourceType.TOPIC, "handoff.health", PatternType.LITERAL, ME, "10.0.0.1", AclOperation.WRITE,
                AclPermissionType.DENY)), HEALTH, AclOperation.WRITE)).isFalse();
    }

    @Test
    void shouldRefuseTheBindingsWhenTheyDoNotExplainWhatTheBrokerReports() {
        // Given bindings that grant nothing on the cluster, and a broker that reports ALTER there (a super user)
        List<AclBinding> acls = List.of(acl(ResourceType.TOPIC, "handoff.health", PatternType.LITERAL, ME, AclOperation.WRITE,
            AclPermissionType.ALLOW));
        Resource cluster = Resource.literal(ResourceType.CLUSTER, "kafka-cluster");
        assertThat(AclView.disagreement(acls, ME, Map.of(cluster, Set.of(AclOperation.ALTER))))
            .contains("ALTER on CLUSTER:kafka-cluster granted to User:doctor").contains("a super user");
        // and agreeing when the broker reports exactly what they give
        assertThat(AclView.disagreement(acls, ME, Map.of(HEALTH, Set.of(AclOperation.WRITE, AclOperation.DESCRIBE),
            cluster, Set.of()))).isNull();
    }

    @Test
    void shouldTakeThePrincipalFromTheSaslUsername() {
        Map<String, String> scram = Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512", "sasl.jaas.config",
            "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"handoff-replayer\" password=\"x\";");
        assertThat(AclView.principal(scram, null)).isEqualTo("User:handoff-replayer");
        assertThat(AclView.principal(scram, "User:other")).isEqualTo("User:other");
        assertThat(AclView.principal(Map.of(), null)).isEqualTo("User:ANONYMOUS");
        assertThat(AclView.principal(Map.of("security.protocol", "SSL"), null)).isNull();
        assertThat(AclView.principal(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "GSSAPI"), null)).isNull();
    }
}
