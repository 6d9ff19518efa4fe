package dev.handoff.cli;

import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.InvalidRecordException;
import dev.handoff.protocol.NodeAddress;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.common.HandoffHeaders;
import dev.handoff.protocol.common.TopicAdmin;
import dev.handoff.protocol.json.Codecs;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code handoff parked list|redrive [NODE]}. Redrive re-enqueues each parked record to its node topic and,
 * in the same transaction, appends a marker to the parked topic ({@code handoff.redriven} header naming the
 * parked record's partition:offset), so a record is re-driven once and disappears from {@code list}.
 */
@Command(name = "parked", mixinStandardHelpOptions = true, description = "List or re-drive parked records.",
    subcommands = {ParkedCommand.ListParked.class, ParkedCommand.Redrive.class})
final class ParkedCommand {
    /** One parked record still waiting for an operator. */
    record Parked(ConsumerRecord<byte[], byte[]> record, String node, String reason, EnqueueRecord value) {
        String id() {
            return record.partition() + ":" + record.offset();
        }
    }

    /** Parked records of {@code node} (or every node) that were not re-driven yet. */
    static List<Parked> pending(CommonOptions common, String node) {
        List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
        Set<String> redriven = new HashSet<>();
        KafkaReads.readToEnd(common.kafka(), common.kafkaTimeout(), common.topics().parked(), r -> {
            String marker = HandoffHeaders.text(r.headers(), HandoffHeaders.REDRIVEN);
            if (marker != null) {
                redriven.add(marker);
            } else {
                all.add(r);
            }
        });
        List<Parked> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : all) {
            String key = r.key() == null ? "?" : new String(r.key(), StandardCharsets.UTF_8);
            if (redriven.contains(r.partition() + ":" + r.offset()) || (node != null && !node.equals(key))) {
                continue;
            }
            String reason = HandoffHeaders.text(r.headers(), HandoffHeaders.REASON);
            EnqueueRecord value = null;
            try {
                value = Codecs.ENQUEUE.decode(r.value());
            } catch (InvalidRecordException e) {
                // listed as unreadable; it cannot be re-driven as it is
            }
            out.add(new Parked(r, key, reason == null ? "?" : reason, value));
        }
        return out;
    }

    abstract static class Base implements Callable<Integer> {
        @Mixin
        CommonOptions common;
        @Parameters(index = "0", arity = "0..1", paramLabel = "NODE", description = "Only this node (host:port).")
        String node;
        @Spec
        CommandSpec spec;

        List<Parked> parked() {
            if (node != null) {
                NodeAddress.require("NODE", node);
            }
            return pending(common, node);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Parked records not re-driven yet.")
    static final class ListParked extends Base {
        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            List<Parked> parked = parked();
            out.printf("%-8s %-24s %-48s %s%n", "ID", "NODE", "PART", "REASON");
            for (Parked p : parked) {
                out.printf("%-8s %-24s %-48s %s%n", p.id(), p.node(),
                    p.value() == null ? "(unreadable)" : p.value().part().toString(), p.reason());
            }
            out.println(parked.size() + " parked");
            return 0;
        }
    }

    @Command(name = "redrive", mixinStandardHelpOptions = true,
        description = "Re-enqueue parked records to their node topics and mark the parked copies done.")
    static final class Redrive extends Base {
        @Mixin
        TopicOptions topicOptions;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            List<Parked> parked = parked();
            Topics topics = common.topics();
            Map<String, Object> props = common.producer("handoff-cli-redrive");
            props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "handoff-cli-redrive-" + UUID.randomUUID());
            int redriven = 0;
            int skipped = 0;
            try (Admin admin = Admin.create(common.admin());
                 KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.initTransactions();
                for (Parked p : parked) {
                    if (p.value() == null) {
                        out.println("skip " + p.id() + ": unreadable record (" + p.reason() + "); fix or truncate it by hand");
                        skipped++;
                        continue;
                    }
                    String topic = topics.node(p.value().node());
                    // A node topic gone since the record was parked is created as the producer would create it.
                    TopicAdmin.ensure(admin, topic, topicOptions.settings(), TopicAdmin.nodeTopicConfigs());
                    // One node-topic record per transaction, acknowledged at commit before the next is sent:
                    // a just-created partition never has two writes in flight (KAFKA-15591, docs/DECISIONS.md).
                    producer.beginTransaction();
                    producer.send(new ProducerRecord<>(topic, p.value().part().groupShard().getBytes(StandardCharsets.UTF_8),
                        p.record().value()));
                    ProducerRecord<byte[], byte[]> marker = new ProducerRecord<>(topics.parked(), p.record().partition(),
                        p.record().key(), null);
                    HandoffHeaders.put(marker.headers(), HandoffHeaders.REDRIVEN, p.id());
                    producer.send(marker);
                    producer.commitTransaction();
                    out.println("redriven " + p.id() + " " + p.value().part() + " -> " + topic);
                    redriven++;
                }
            }
            out.println("redriven=" + redriven + " skipped=" + skipped);
            return skipped == 0 ? 0 : 1;
        }
    }
}
