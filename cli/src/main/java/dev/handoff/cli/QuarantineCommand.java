package dev.handoff.cli;

import dev.handoff.protocol.InvalidFieldException;
import dev.handoff.protocol.common.HandoffHeaders;
import dev.handoff.protocol.common.Quarantine;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code handoff quarantine list [--input health|control|completions]}: the health, control and completion
 * records the topology could not read, kept in {@code <prefix>.quarantine} with their original bytes.
 * (Unreadable node-topic records are parked by the replayer: {@code handoff parked list}.)
 */
@Command(name = "quarantine", mixinStandardHelpOptions = true,
    description = "List the health, control and completion records the topology could not read.",
    subcommands = QuarantineCommand.ListQuarantined.class)
final class QuarantineCommand {

    /** One quarantined record as its headers describe it; {@code source} is {@code topic/partition@offset}. */
    record Quarantined(String input, String source, byte[] key, byte[] value, String reason) {
        static Quarantined of(ConsumerRecord<byte[], byte[]> r) {
            Headers h = r.headers();
            String source = text(h, HandoffHeaders.TOPIC) + "/" + text(h, HandoffHeaders.PARTITION) + "@"
                + text(h, HandoffHeaders.OFFSET);
            String error = HandoffHeaders.text(h, HandoffHeaders.ERROR);
            String reason = text(h, HandoffHeaders.REASON) + (error == null ? "" : ": " + error);
            return new Quarantined(text(h, HandoffHeaders.INPUT), source, r.key(), r.value(), reason);
        }

        /** A header's text, or {@code ?} for a record written without it. */
        private static String text(Headers h, String name) {
            String s = HandoffHeaders.text(h, name);
            return s == null ? "?" : s;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
        description = "Quarantined records: input, where they were read, key, size and why they could not be read.")
    static final class ListQuarantined implements Callable<Integer> {
        @Mixin
        CommonOptions common;
        @Option(names = "--input", paramLabel = "INPUT",
            description = "Only records of this input: health, control or completions.")
        String input;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            String only = input == null ? null : Quarantine.Input.of(input).label();
            List<Quarantined> found = new ArrayList<>();
            KafkaReads.readToEnd(common.kafka(), common.kafkaTimeout(), common.topics().quarantine(), r -> {
                Quarantined q = Quarantined.of(r);
                if (only == null || only.equals(q.input())) {
                    found.add(q);
                }
            });
            PrintWriter out = spec.commandLine().getOut();
            String row = "%-12s %-40s %-28s %10s  %s%n";
            out.printf(row, "INPUT", "SOURCE", "KEY", "SIZE", "REASON");
            for (Quarantined q : found) {
                out.printf(row, q.input(), q.source(),
                    q.key() == null ? "null" : InvalidFieldException.show(new String(q.key(), StandardCharsets.UTF_8)),
                    q.value() == null ? "null" : q.value().length + " B", q.reason().replaceAll("\\p{Cntrl}", " "));
            }
            out.println(found.size() + " quarantined");
            return 0;
        }
    }
}
