package dev.handoff.e2e.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.datanode.DataNode;
import dev.handoff.protocol.Completion;
import dev.handoff.protocol.InvalidRecordException;
import dev.handoff.protocol.NodeStatus;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.PartTypeEntry;
import dev.handoff.protocol.Release;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.common.KafkaSettings;
import dev.handoff.protocol.json.Codecs;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The fault suite's oracle. Records which bundle was enqueued for which node, then counts, from the data
 * nodes' own {@code appliedCount} and the committed topics: lost (enqueued, never applied), dup (applied more
 * than once), corrupt (applied with other bytes), and per node-topic record exactly one committed completion.
 * Thread-safe for {@link #expect}; the checks run on the test thread.
 */
final class Ledger {
    private final KafkaSettings kafka;
    private final Topics topics;
    private final Map<PartKey, List<PartTypeEntry>> types = new ConcurrentHashMap<>();
    private final Map<PartKey, Set<String>> targets = new ConcurrentHashMap<>();
    /** Nodes whose topic's records must each have a completion though no bundle is expected applied there. */
    private final Set<String> recordsOnly = ConcurrentHashMap.newKeySet();
    /** Node topics hold transaction markers too (a replayer's retarget copies): read the record offsets. */
    private final boolean readRecordOffsets;

    Ledger(KafkaSettings kafka, Topics topics) {
        this(kafka, topics, false);
    }

    private Ledger(KafkaSettings kafka, Topics topics, boolean readRecordOffsets) {
        this.kafka = kafka;
        this.topics = topics;
        this.readRecordOffsets = readRecordOffsets;
    }

    /**
     * This ledger for node topics that replayers write to in transactions (retarget copies), whose offsets then include
     * transaction markers: the records are read, not counted from the end offsets. Their log start must stay at 0 (no
     * log-start advance in the scenario), or the deleted records could not be read.
     */
    Ledger withTransactionalNodeTopics() {
        return new Ledger(kafka, topics, true);
    }

    /** {@code node}'s records count too (each needs one completion), though nothing is expected applied on it. */
    void expectRecordsOnly(String node) {
        recordsOnly.add(node);
    }

    /** The bundle must end up applied exactly once on each node. */
    void expect(Parts.Written part, String... nodes) {
        types.put(part.key(), part.types());
        targets.computeIfAbsent(part.key(), k -> ConcurrentHashMap.newKeySet()).addAll(List.of(nodes));
    }

    int expectedDeliveries() {
        return targets.values().stream().mapToInt(Set::size).sum();
    }

    Set<PartKey> parts() {
        return targets.keySet();
    }

    /** Deliveries still missing on these data nodes (address → node). */
    long missing(Map<String, DataNode> nodes) {
        return targets.entrySet().stream().mapToLong(e -> e.getValue().stream()
            .filter(n -> nodes.get(n).appliedCount(e.getKey()) == 0).count()).sum();
    }

    /** Waits until every delivery is applied and every node-topic record has its committed completion. */
    void awaitDrained(Map<String, DataNode> nodes, Duration timeout) {
        org.awaitility.Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(500))
            .until(() -> missing(nodes) == 0 && drained());
    }

    /** Waits until every node-topic record has its committed completion (for data nodes in another JVM). */
    void awaitCompletions(Duration timeout) {
        org.awaitility.Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(500)).until(this::drained);
    }

    /** The numbers of one scenario. */
    /**
     * {@code redeliveries}: committed completions with outcome DUPLICATE, i.e. deliveries the data node had already
     * applied (a bundle sent again after its APPLIED answer was lost, or published twice). {@code dup} cannot show
     * those: the node's {@code applied.log} counts a bundle once by construction, however often it is sent.
     */
    record Result(int parts, int deliveries, long lost, long dup, long corrupt, long records, long completions,
                  long extraCompletions, long missingCompletions, long parked, long redeliveries) {
        String line(String scenario, String extra) {
            return String.format("faults: scenario=%s lost=%d dup=%d parts=%d deliveries=%d corrupt=%d records=%d "
                + "completions=%d extraCompletions=%d missingCompletions=%d parked=%d redeliveries=%d%s", scenario, lost,
                dup, parts, deliveries, corrupt, records, completions, extraCompletions, missingCompletions, parked,
                redeliveries, extra.isEmpty() ? "" : " " + extra);
        }

        /** Prints the summary line and asserts the same numbers. */
        Result report(String scenario, String extra) {
            System.out.println(line(scenario, extra));
            assertThat(lost).as("lost").isZero();
            assertThat(dup).as("applied twice").isZero();
            assertThat(corrupt).as("applied with other bytes").isZero();
            assertThat(extraCompletions).as("records completed more than once").isZero();
            assertThat(missingCompletions).as("records without a committed completion").isZero();
            assertThat(parked).as("parked").isZero();
            assertThat(completions).as("one completion per record").isEqualTo(records);
            return this;
        }
    }

    /** True when every node topic's records all have a committed completion (the drain is over). */
    boolean drained() throws ExecutionException, InterruptedException, InvalidRecordException {
        Map<TopicPartition, Set<Long>> records = nodeTopicRecords();
        Map<TopicPartition, Set<Long>> done = new HashMap<>();
        for (Completion c : completions()) {
            done.computeIfAbsent(new TopicPartition(c.topic(), c.partition()), k -> new java.util.HashSet<>()).add(c.offset());
        }
        return records.entrySet().stream().allMatch(e -> done.getOrDefault(e.getKey(), Set.of()).containsAll(e.getValue()));
    }

    Result check(Map<String, DataNode> nodes) throws IOException, ExecutionException, InterruptedException,
        InvalidRecordException {
        long lost = 0;
        long dup = 0;
        long corrupt = 0;
        for (Map.Entry<PartKey, Set<String>> e : targets.entrySet()) {
            for (String n : e.getValue()) {
                int applied = nodes.get(n).appliedCount(e.getKey());
                lost += applied == 0 ? 1 : 0;
                dup += applied > 1 ? 1 : 0;
                corrupt += applied > 0 && !nodes.get(n).verify(e.getKey(), types.get(e.getKey())).isEmpty() ? 1 : 0;
            }
        }
        Map<TopicPartition, Set<Long>> offsets = nodeTopicRecords();
        long records = offsets.values().stream().mapToLong(Set::size).sum();
        Map<String, Integer> perRecord = new HashMap<>();
        long parked = 0;
        long redeliveries = 0;
        List<Completion> all = completions();
        for (Completion c : all) {
            perRecord.merge(c.topic() + "/" + c.partition() + "@" + c.offset(), 1, Integer::sum);
            parked += c.outcome() == Completion.Outcome.PARKED ? 1 : 0;
            redeliveries += c.outcome() == Completion.Outcome.DUPLICATE ? 1 : 0;
        }
        long extra = perRecord.values().stream().mapToLong(n -> n - 1).sum();
        long missing = 0;
        for (Map.Entry<TopicPartition, Set<Long>> e : offsets.entrySet()) {
            for (long o : e.getValue()) {
                missing += perRecord.containsKey(e.getKey().topic() + "/" + e.getKey().partition() + "@" + o) ? 0 : 1;
            }
        }
        return new Result(targets.size(), expectedDeliveries(), lost, dup, corrupt, records, all.size(), extra, missing,
            parked, redeliveries);
    }

    List<Completion> completions() throws InvalidRecordException {
        List<Completion> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : readAll(topics.completions())) {
            out.add(Codecs.COMPLETION.decode(r.value()));
        }
        return out;
    }

    List<Release> releases() throws InvalidRecordException {
        List<Release> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : readAll(topics.released())) {
            out.add(Codecs.RELEASE.decode(r.value()));
        }
        return out;
    }

    /**
     * Waits until node-status shows nothing pending on every one of {@code nodes} and {@code <prefix>.released}
     * holds as many Releases as bundles, then asserts exactly one Release per bundle; returns the count per bundle.
     */
    Map<PartKey, Long> awaitReleasedOnce(Collection<String> nodes, Duration timeout) throws InvalidRecordException {
        org.awaitility.Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Map<String, NodeStatus> status = statuses();
            assertThat(status).containsKeys(nodes.toArray(String[]::new));
            for (String n : nodes) {
                assertThat(status.get(n).pendingParts()).as("pending parts on %s", n).isZero();
                assertThat(status.get(n).pendingBytes()).as("pending bytes on %s", n).isZero();
            }
            assertThat(releases()).hasSize(parts().size());
        });
        Map<PartKey, Long> releases = releases().stream()
            .collect(Collectors.groupingBy(Release::part, Collectors.counting()));
        assertThat(releases).isEqualTo(parts().stream().collect(Collectors.toMap(Function.identity(), p -> 1L)));
        return releases;
    }

    /** The latest node-status row per node. */
    Map<String, NodeStatus> statuses() throws InvalidRecordException {
        Map<String, NodeStatus> out = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> r : readAll(topics.nodeStatus())) {
            out.put(r.key(), Codecs.NODE_STATUS.decode(r.value()));
        }
        return out;
    }

    private Map<TopicPartition, Long> nodeTopicEnds() throws ExecutionException, InterruptedException {
        Set<String> nodes = new java.util.TreeSet<>(recordsOnly);
        targets.values().forEach(nodes::addAll);
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        try (Admin admin = Admin.create(kafka.admin())) {
            List<String> names = nodes.stream().map(topics::node).toList();
            admin.describeTopics(names).allTopicNames().get().forEach((t, d) ->
                d.partitions().forEach(p -> request.put(new TopicPartition(t, p.partition()), OffsetSpec.latest())));
            Map<TopicPartition, Long> out = new HashMap<>();
            admin.listOffsets(request).all().get().forEach((tp, o) -> out.put(tp, o.offset()));
            return out;
        }
    }

    /**
     * The offsets of every node topic's records: {@code [0, end)} (node topics are written without transactions, and
     * the replayers may have deleted their completed prefix), or, {@link #withTransactionalNodeTopics}, read.
     */
    private Map<TopicPartition, Set<Long>> nodeTopicRecords() throws ExecutionException, InterruptedException {
        Map<TopicPartition, Long> ends = nodeTopicEnds();
        Map<TopicPartition, Set<Long>> out = new HashMap<>();
        if (readRecordOffsets) {
            Set<String> names = new java.util.TreeSet<>();
            ends.keySet().forEach(tp -> names.add(tp.topic()));
            ends.keySet().forEach(tp -> out.put(tp, new java.util.TreeSet<>()));
            for (String topic : names) {
                for (ConsumerRecord<String, byte[]> r : readAll(topic)) {
                    out.get(new TopicPartition(r.topic(), r.partition())).add(r.offset());
                }
            }
            return out;
        }
        ends.forEach((tp, end) -> out.put(tp, java.util.stream.LongStream.range(0, end).boxed()
            .collect(Collectors.toCollection(java.util.HashSet::new))));
        return out;
    }

    /** Every committed record of a topic from its log start to its last stable offset. */
    List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(kafka.consumer(null, "fault-oracle"),
            new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> ends = consumer.endOffsets(tps, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (tps.stream().anyMatch(tp -> consumer.position(tp, Duration.ofSeconds(30)) < ends.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + topic + " did not reach " + ends + " within 60 s");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }
}
