package dev.handoff.cli;

import dev.handoff.cli.AclNeeds.Resource;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;

/**
 * Kafka's standard authorizer's rules (StandardAuthorizerData.findResult) applied to ACL bindings read with
 * {@code describeAcls}: a binding applies to the principal itself and to {@code User:*}; a literal name, the
 * literal {@code *} and a prefix match a resource; any DENY that applies beats every ALLOW; an ALLOW of READ,
 * WRITE, DELETE or ALTER implies DESCRIBE and one of ALTER_CONFIGS implies DESCRIBE_CONFIGS (a DENY implies
 * nothing); ALL is every operation. Nothing that applies is no right. The host the broker sees is not known
 * here, so a binding for one host counts when it denies and not when it allows. For a prefixed resource (every
 * name under a prefix) an ALLOW must cover all of it and a DENY denies when it covers any of it.
 * Stateless.
 */
final class AclRules {
    /** Kafka's wildcard principal: a binding for it applies to every principal. */
    static final String ANY_PRINCIPAL = "User:*";
    private static final String ANY = "*";
    private static final Set<AclOperation> IMPLIES_DESCRIBE =
        EnumSet.of(AclOperation.DESCRIBE, AclOperation.READ, AclOperation.WRITE, AclOperation.DELETE, AclOperation.ALTER);
    private static final Set<AclOperation> IMPLIES_DESCRIBE_CONFIGS =
        EnumSet.of(AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS);

    private AclRules() {
    }

    /** Whether the bindings grant the operation, and if not, why not. */
    record Verdict(boolean allowed, String why) {
    }

    static Verdict evaluate(Collection<AclBinding> bindings, String principal, Resource resource, AclOperation op) {
        List<AclBinding> applying = bindings.stream()
            .filter(b -> b.pattern().resourceType() == resource.type())
            .filter(b -> principal.equals(b.entry().principal()) || ANY_PRINCIPAL.equals(b.entry().principal()))
            .toList();
        for (AclBinding b : applying) {
            if (b.entry().permissionType() == AclPermissionType.DENY && denies(b.entry().operation(), op)
                && overlaps(b.pattern(), resource)) {
                return new Verdict(false, "denied by " + describe(b));
            }
        }
        boolean forOneHost = false;
        for (AclBinding b : applying) {
            if (b.entry().permissionType() == AclPermissionType.ALLOW && allows(b.entry().operation(), op)
                && covers(b.pattern(), resource)) {
                if (ANY.equals(b.entry().host())) {
                    return new Verdict(true, "allowed by " + describe(b));
                }
                forOneHost = true;
            }
        }
        return new Verdict(false, forOneHost ? "allowed only from one host (not counted: the host the broker sees is not known)"
            : "no ALLOW binding");
    }

    private static boolean denies(AclOperation bound, AclOperation asked) {
        return bound == AclOperation.ALL || bound == asked;
    }

    private static boolean allows(AclOperation bound, AclOperation asked) {
        if (bound == AclOperation.ALL || bound == asked) {
            return true;
        }
        return asked == AclOperation.DESCRIBE && IMPLIES_DESCRIBE.contains(bound)
            || asked == AclOperation.DESCRIBE_CONFIGS && IMPLIES_DESCRIBE_CONFIGS.contains(bound);
    }

    /** The pattern matches every name of the resource. */
    static boolean covers(ResourcePattern p, Resource r) {
        if (p.patternType() == PatternType.LITERAL) {
            return ANY.equals(p.name()) || !r.prefixed() && p.name().equals(r.name());
        }
        return p.patternType() == PatternType.PREFIXED && r.name().startsWith(p.name());
    }

    /** The pattern matches at least one name of the resource. */
    static boolean overlaps(ResourcePattern p, Resource r) {
        if (covers(p, r)) {
            return true;
        }
        return r.prefixed() && (p.patternType() == PatternType.LITERAL || p.patternType() == PatternType.PREFIXED)
            && p.name().startsWith(r.name());
    }

    private static String describe(AclBinding b) {
        return b.entry().permissionType() + " " + b.entry().operation() + " on " + b.pattern().resourceType() + ":"
            + b.pattern().name() + (b.pattern().patternType() == PatternType.PREFIXED ? "*" : "") + " for "
            + b.entry().principal() + (ANY.equals(b.entry().host()) ? "" : " from " + b.entry().host());
    }
}
