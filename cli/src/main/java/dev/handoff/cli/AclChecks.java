package dev.handoff.cli;

import static dev.handoff.cli.AclFindings.State.GRANTED;
import static dev.handoff.cli.AclFindings.State.MISSING;
import static dev.handoff.cli.AclFindings.State.UNVERIFIED;

import dev.handoff.cli.AclFindings.Finding;
import dev.handoff.cli.AclNeeds.Need;
import dev.handoff.cli.AclNeeds.Resource;
import dev.handoff.cli.AclNeeds.Role;
import dev.handoff.cli.Preflight.Check;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdNotFoundException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.resource.ResourceType;

/**
 * {@code handoff doctor}'s ACL checks, one line each: {@code acls.topics} (the fixed topics, the node topics and
 * the topology's internal topics), {@code acls.groups} and {@code acls.transactional-ids}. The broker's own
 * answer is used wherever it gives one (authorized operations of existing topics and groups, a validate-only
 * createTopics for the CREATE right under a prefix, describeTransactions for DESCRIBE); the ACL bindings
 * ({@link AclView}) where it gives none. Changes nothing. Confined to the thread that runs the verb.
 */
record AclChecks(Admin admin, Duration timeout, AclView acls) {

    /** The three checks for {@code roles}; {@code unnamed} are needs that cannot be named with the options given. */
    List<Check> run(Set<Role> roles, List<Need> needs, List<String> unnamed) throws InterruptedException {
        AclFindings topics = new AclFindings("acls.topics", roles);
        AclFindings groups = new AclFindings("acls.groups", roles);
        AclFindings txns = new AclFindings("acls.transactional-ids", roles);
        unnamed.forEach(groups::unnamed);
        Map<Resource, List<Need>> byResource = new LinkedHashMap<>();
        needs.forEach(n -> byResource.computeIfAbsent(n.resource(), r -> new ArrayList<>()).add(n));
        for (Map.Entry<Resource, List<Need>> e : byResource.entrySet()) {
            Resource r = e.getKey();
            if (r.type() == ResourceType.TOPIC) {
                topics.addAll(r.prefixed() ? topicPrefix(r, e.getValue()) : topic(r, e.getValue()));
            } else if (r.type() == ResourceType.GROUP) {
                groups.addAll(group(r, e.getValue()));
            } else {
                txns.addAll(transactionalId(r, e.getValue()));
            }
        }
        return List.of(topics.check("the topics"), groups.check("their consumer groups"), txns.check("their transactional ids"));
    }

    private List<Finding> topic(Resource r, List<Need> needs) throws InterruptedException {
        try {
            Set<AclOperation> ops = get(admin.describeTopics(List.of(r.name()), new DescribeTopicsOptions()
                .includeAuthorizedOperations(true)).topicNameValues().get(r.name())).authorizedOperations();
            return byBroker(needs, ops, "");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicAuthorizationException) {
                return AclFindings.all(needs, MISSING::of, "not even DESCRIBE is granted");
            }
            String why = e.getCause() instanceof UnknownTopicOrPartitionException ? "the topic does not exist (run handoff init)"
                : "cannot describe it: " + Preflight.why(e);
            return byBindings(needs, why);
        } catch (TimeoutException e) {
            return AclFindings.all(needs, UNVERIFIED::of, noAnswer());
        }
    }

    /**
     * Every topic under a prefix: the existing ones by their authorized operations, CREATE of one not yet made by a
     * validate-only createTopics (the broker checks CREATE and creates nothing), the rest of the ones to come by the
     * ACL bindings when they can be read, else by the existing topics.
     */
    private List<Finding> topicPrefix(Resource r, List<Need> needs) throws InterruptedException {
        List<Finding> out = new ArrayList<>();
        Map<String, Set<AclOperation>> existing;
        try {
            existing = existingTopics(r.name());
        } catch (ExecutionException e) {
            return AclFindings.all(needs, UNVERIFIED::of, "cannot list the topics: " + Preflight.why(e));
        } catch (TimeoutException e) {
            return AclFindings.all(needs, UNVERIFIED::of, noAnswer());
        }
        for (Need n : needs) {
            List<String> lacking = existing.entrySet().stream()
                .filter(t -> !granted(t.getValue(), n.operation())).map(Map.Entry::getKey).sorted().toList();
            if (!lacking.isEmpty()) {
                out.add(MISSING.of(n, "on " + lacking.size() + " of " + existing.size() + " existing topics, e.g. "
                    + lacking.get(0)));
            } else if (n.operation() == AclOperation.CREATE) {
                out.add(createProbe(n));
            } else if (acls.decides()) {
                out.add(acls.evaluate(n));
            } else if (!existing.isEmpty()) {
                out.add(GRANTED.of(n, AclFindings.JUDGED + existing.size() + " existing topic(s)"));
            } else {
                out.add(UNVERIFIED.of(n, "no such topic exists yet and " + acls.why()));
            }
        }
        return out;
    }

    private Map<String, Set<AclOperation>> existingTopics(String prefix)
        throws ExecutionException, TimeoutException, InterruptedException {
        List<String> names = get(admin.listTopics().names()).stream().filter(t -> t.startsWith(prefix)).sorted().toList();
        Map<String, Set<AclOperation>> out = new HashMap<>();
        if (!names.isEmpty()) {
            get(admin.describeTopics(names, new DescribeTopicsOptions().includeAuthorizedOperations(true)).allTopicNames())
                .forEach((name, d) -> {
                    if (d.authorizedOperations() != null) {
                        out.put(name, d.authorizedOperations());
                    }
                });
        }
        return out;
    }

    private Finding createProbe(Need n) throws InterruptedException {
        String probe = n.resource().name() + "doctor-probe-" + UUID.randomUUID().toString().substring(0, 8);
        try {
            get(admin.createTopics(List.of(new NewTopic(probe, Optional.empty(), Optional.empty())),
                new CreateTopicsOptions().validateOnly(true)).all());
            return GRANTED.of(n, "a validate-only create of " + probe + " was accepted");
        } catch (ExecutionException e) {
            // authorization is checked before anything else: any other refusal means CREATE was granted
            return e.getCause() instanceof TopicAuthorizationException
                ? MISSING.of(n, "a validate-only create of " + probe + " was refused")
                : GRANTED.of(n, "a validate-only create passed authorization (" + Preflight.why(e) + ")");
        } catch (TimeoutException e) {
            return UNVERIFIED.of(n, noAnswer());
        }
    }

    private List<Finding> group(Resource r, List<Need> needs) throws InterruptedException {
        try {
            Set<AclOperation> ops = get(admin.describeConsumerGroups(List.of(r.name()),
                new DescribeConsumerGroupsOptions().includeAuthorizedOperations(true)).describedGroups().get(r.name()))
                .authorizedOperations();
            return byBroker(needs, ops, "");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupAuthorizationException) {
                return AclFindings.all(needs, MISSING::of, "not even DESCRIBE is granted");
            }
            if (e.getCause() instanceof GroupIdNotFoundException) {
                // the broker checks DESCRIBE before it looks the group up
                List<Finding> out = new ArrayList<>();
                for (Need n : needs) {
                    out.add(n.operation() == AclOperation.DESCRIBE ? GRANTED.of(n, "the broker let it look the group up")
                        : byBindings(List.of(n), "the group does not exist yet, so the broker reports no operations for it").get(0));
                }
                return out;
            }
            return byBindings(needs, "cannot describe the group: " + Preflight.why(e));
        } catch (TimeoutException e) {
            return AclFindings.all(needs, UNVERIFIED::of, noAnswer());
        }
    }

    /**
     * Kafka has no authorized-operations call for transactional ids: the ACL bindings decide; without them
     * describeTransactions proves DESCRIBE (or its absence) and WRITE stays unverified. Never initTransactions:
     * with a role's id that would fence the running instance.
     */
    private List<Finding> transactionalId(Resource r, List<Need> needs) throws InterruptedException {
        if (acls.decides()) {
            return needs.stream().map(acls::evaluate).toList();
        }
        String id = r.prefixed() ? r.name() + "doctor-probe" : r.name();
        String probe = "describeTransactions of " + id;
        String write = "Kafka reports no authorized operations for transactional ids and " + acls.why();
        try {
            get(admin.describeTransactions(List.of(id)).description(id));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TransactionalIdAuthorizationException) {
                return needs.stream().map(n -> n.operation() == AclOperation.DESCRIBE ? MISSING.of(n, probe + " was refused")
                    : UNVERIFIED.of(n, write)).toList();
            }
            if (!(e.getCause() instanceof TransactionalIdNotFoundException)) {
                return AclFindings.all(needs, UNVERIFIED::of, probe + " failed: " + Preflight.why(e));
            }
        } catch (TimeoutException e) {
            return AclFindings.all(needs, UNVERIFIED::of, noAnswer());
        }
        return needs.stream().map(n -> n.operation() == AclOperation.DESCRIBE ? GRANTED.of(n, probe + " was allowed")
            : UNVERIFIED.of(n, write)).toList();
    }

    private List<Finding> byBroker(List<Need> needs, Set<AclOperation> ops, String note) {
        if (ops == null) {
            return byBindings(needs, "the broker does not report authorized operations");
        }
        return needs.stream().map(n -> granted(ops, n.operation()) ? GRANTED.of(n, note) : MISSING.of(n, note)).toList();
    }

    private List<Finding> byBindings(List<Need> needs, String why) {
        return needs.stream().map(n -> acls.decides() ? acls.evaluate(n)
            : UNVERIFIED.of(n, why + ", and " + acls.why())).toList();
    }

    private static boolean granted(Set<AclOperation> ops, AclOperation op) {
        return ops.contains(op) || ops.contains(AclOperation.ALL);
    }

    private <T> T get(KafkaFuture<T> f) throws ExecutionException, TimeoutException, InterruptedException {
        return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private String noAnswer() {
        return "no answer within " + timeout.toSeconds() + " s";
    }
}
