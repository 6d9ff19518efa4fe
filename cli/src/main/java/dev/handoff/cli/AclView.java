package dev.handoff.cli;

import static dev.handoff.cli.AclFindings.State.GRANTED;
import static dev.handoff.cli.AclFindings.State.MISSING;

import dev.handoff.cli.AclFindings.Finding;
import dev.handoff.cli.AclNeeds.Need;
import dev.handoff.cli.AclNeeds.Resource;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.SecurityDisabledException;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ACL bindings the broker holds ({@code describeAcls}, which needs DESCRIBE on CLUSTER), and whether they can
 * be trusted to tell this principal's rights: only when {@link AclRules} applied to them gives exactly the
 * operations the broker itself reports for the cluster and the fixed topics. A super user, {@code
 * allow.everyone.if.no.acl.found=true}, another authorizer or a wrong {@code --principal} make them disagree,
 * and then they are not used. Immutable.
 */
final class AclView {
    /** Every operation a topic / the cluster has (Kafka's AclEntry.supportedOperations). */
    private static final Set<AclOperation> TOPIC_OPS = EnumSet.of(AclOperation.READ, AclOperation.WRITE, AclOperation.CREATE,
        AclOperation.DELETE, AclOperation.ALTER, AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS);
    private static final Set<AclOperation> CLUSTER_OPS = EnumSet.of(AclOperation.CREATE, AclOperation.CLUSTER_ACTION,
        AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS, AclOperation.IDEMPOTENT_WRITE, AclOperation.ALTER,
        AclOperation.DESCRIBE);
    private static final Pattern JAAS_USERNAME = Pattern.compile("username\\s*=\\s*\"([^\"]*)\"");

    private final String principal;
    private final List<AclBinding> bindings;
    private final boolean noAuthorizer;
    private final String unusable;

    private AclView(String principal, List<AclBinding> bindings, boolean noAuthorizer, String unusable) {
        this.principal = principal;
        this.bindings = bindings;
        this.noAuthorizer = noAuthorizer;
        this.unusable = unusable;
    }

    /** A view of {@code bindings} for {@code principal}, used as they are (tests). */
    static AclView of(String principal, List<AclBinding> bindings) {
        return new AclView(principal, bindings, false, null);
    }

    /**
     * The principal the broker sees for these client properties: {@code --principal} when given, {@code User:<username>}
     * of a PLAIN or SCRAM {@code sasl.jaas.config}, {@code User:ANONYMOUS} on PLAINTEXT; else null (not known).
     */
    static String principal(Map<String, String> props, String given) {
        if (given != null) {
            return given;
        }
        String protocol = props.getOrDefault("security.protocol", "PLAINTEXT").toUpperCase(java.util.Locale.ROOT);
        if (protocol.equals("PLAINTEXT")) {
            return "User:ANONYMOUS";
        }
        String mechanism = props.getOrDefault("sasl.mechanism", "GSSAPI").toUpperCase(java.util.Locale.ROOT);
        Matcher m = JAAS_USERNAME.matcher(props.getOrDefault("sasl.jaas.config", ""));
        boolean named = protocol.startsWith("SASL_") && (mechanism.equals("PLAIN") || mechanism.startsWith("SCRAM-"));
        return named && m.find() ? "User:" + m.group(1) : null;
    }

    /** Reads the bindings and checks them against what the broker reports for the cluster and {@code fixedTopics}. */
    static AclView read(Admin admin, Duration timeout, String principal, Collection<String> fixedTopics) throws InterruptedException {
        List<AclBinding> bindings;
        try {
            bindings = List.copyOf(get(admin.describeAcls(AclBindingFilter.ANY).values(), timeout));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SecurityDisabledException) {
                return new AclView(principal, List.of(), true, null);
            }
            return new AclView(principal, List.of(), false, e.getCause() instanceof ClusterAuthorizationException
                ? "this principal may not read the ACLs (describeAcls needs DESCRIBE on CLUSTER)"
                : "the ACLs cannot be read (" + Preflight.why(e) + ")");
        } catch (TimeoutException e) {
            return new AclView(principal, List.of(), false, "the ACLs were not read within " + timeout.toSeconds() + " s");
        }
        if (principal == null) {
            return new AclView(null, bindings, false, "the principal is not known (give --principal)");
        }
        try {
            Map<Resource, Set<AclOperation>> reported = new LinkedHashMap<>();
            reported.put(Resource.literal(ResourceType.CLUSTER, "kafka-cluster"), get(admin.describeCluster(
                new DescribeClusterOptions().includeAuthorizedOperations(true)).authorizedOperations(), timeout));
            var topics = admin.describeTopics(fixedTopics, new DescribeTopicsOptions().includeAuthorizedOperations(true))
                .topicNameValues();
            for (String t : fixedTopics) {
                try {
                    reported.put(Resource.literal(ResourceType.TOPIC, t), get(topics.get(t), timeout).authorizedOperations());
                } catch (ExecutionException e) {
                    // a topic that is missing or not describable tells nothing about the bindings
                }
            }
            return new AclView(principal, bindings, false, disagreement(bindings, principal, reported));
        } catch (ExecutionException | TimeoutException e) {
            return new AclView(principal, bindings, false, "the broker's own answer to compare the ACLs with is missing ("
                + Preflight.why(e) + ")");
        }
    }

    /** Null when the bindings give what the broker reports for every resource, else the first difference. */
    static String disagreement(List<AclBinding> bindings, String principal, Map<Resource, Set<AclOperation>> reported) {
        for (Map.Entry<Resource, Set<AclOperation>> e : reported.entrySet()) {
            if (e.getValue() == null) {
                continue;
            }
            Set<AclOperation> ops = e.getKey().type() == ResourceType.CLUSTER ? CLUSTER_OPS : TOPIC_OPS;
            for (AclOperation op : ops) {
                boolean broker = e.getValue().contains(op) || e.getValue().contains(AclOperation.ALL);
                if (AclRules.evaluate(bindings, principal, e.getKey(), op).allowed() != broker) {
                    return "the ACLs do not explain what the broker reports (" + op + " on " + e.getKey().display()
                        + (broker ? " granted" : " refused") + " to " + principal + "; a super user, "
                        + "allow.everyone.if.no.acl.found=true or another principal: see --principal)";
                }
            }
        }
        return null;
    }

    /** The bindings can tell this principal's rights. */
    boolean usable() {
        return unusable == null && !noAuthorizer;
    }

    /** The bindings decide: they can be used, or the broker has no authorizer. */
    boolean decides() {
        return usable() || noAuthorizer;
    }

    /** The broker has no authorizer: every principal may do everything. */
    boolean noAuthorizer() {
        return noAuthorizer;
    }

    /** Why the bindings cannot be used. */
    String why() {
        return unusable;
    }

    /** The right by the bindings (or granted when the broker has no authorizer). */
    Finding evaluate(Need n) {
        if (noAuthorizer) {
            return GRANTED.of(n, "the broker has no authorizer");
        }
        AclRules.Verdict v = AclRules.evaluate(bindings, principal, n.resource(), n.operation());
        return v.allowed() ? GRANTED.of(n, v.why()) : MISSING.of(n, "by the ACLs of " + principal + ": " + v.why());
    }

    private static <T> T get(KafkaFuture<T> f, Duration timeout) throws ExecutionException, TimeoutException, InterruptedException {
        return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
