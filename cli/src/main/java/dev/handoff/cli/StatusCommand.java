package dev.handoff.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.protocol.InvalidRecordException;
import dev.handoff.protocol.NodeStatus;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.common.KafkaSettings;
import dev.handoff.protocol.json.Codecs;
import dev.handoff.protocol.json.JsonCodec;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code handoff status}: the latest NodeStatus of every node, as a table or JSON. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Per-node table from the node-status topic: health, paused, pending parts and bytes, oldest pending age, "
        + "live throttle, the node that replaces it (retarget).")
final class StatusCommand implements Callable<Integer> {

    enum Output { table, json }

    @Mixin
    CommonOptions common;
    @Option(names = "--output", defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).")
    Output output;
    @Option(names = "--watch", description = "Refresh until interrupted.")
    boolean watch;
    @Option(names = "--interval", defaultValue = "2s", converter = DurationConverter.class,
        description = "Refresh interval with --watch (default: ${DEFAULT-VALUE}).")
    Duration interval;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        do {
            Map<String, NodeStatus> latest = read(common.kafka(), common.kafkaTimeout(), common.topics());
            if (watch && output == Output.table) {
                out.print("\033[H\033[2J");
            }
            out.print(output == Output.json ? json(latest.values()) : table(latest.values(), Clock.systemUTC().millis()));
            out.flush();
            if (watch) {
                TimeUnit.MILLISECONDS.sleep(interval.toMillis());
            }
        } while (watch);
        return 0;
    }

    /** The latest status per node; a deleted (tombstoned) node disappears, an unreadable value is skipped. */
    static Map<String, NodeStatus> read(KafkaSettings kafka, Duration timeout, Topics topics) {
        Map<String, NodeStatus> latest = new TreeMap<>();
        KafkaReads.readToEnd(kafka, timeout, topics.nodeStatus(), r -> {
            String node = r.key() == null ? null : new String(r.key(), java.nio.charset.StandardCharsets.UTF_8);
            if (r.value() == null) {
                latest.remove(node);
                return;
            }
            try {
                NodeStatus s = Codecs.NODE_STATUS.decode(r.value());
                latest.put(s.node(), s);
            } catch (InvalidRecordException e) {
                // an unreadable status must not hide the others; the topology counts these
            }
        });
        return latest;
    }

    static String table(Iterable<NodeStatus> statuses, long now) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NODE", "HEALTH", "PAUSED", "PENDING", "PENDING-BYTES", "OLDEST", "TRUNCATE-BEFORE", "THROTTLE", "RETARGET-TO"});
        for (NodeStatus s : statuses) {
            rows.add(new String[] {s.node(), s.health().name(), s.paused() ? "yes" : "no",
                Long.toString(s.pendingParts()), Bytes.human(s.pendingBytes()),
                s.oldestEnqueuedAt() == null ? "-" : Bytes.age(now - s.oldestEnqueuedAt()),
                s.truncateBefore() == null ? "-" : java.time.Instant.ofEpochMilli(s.truncateBefore()).toString(),
                ThrottleCommand.describe(s.throttle()), s.retargetTo() == null ? "-" : s.retargetTo()});
        }
        int[] width = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                out.append(String.format("%-" + (width[i] + 2) + "s", row[i]));
            }
            out.setLength(out.length() - 2);
            out.append('\n');
        }
        if (rows.size() == 1) {
            out.append("(no node status yet: is the topology running?)\n");
        }
        return out.toString();
    }

    static String json(Iterable<NodeStatus> statuses) {
        ArrayNode array = JsonCodec.mapper().createArrayNode();
        for (NodeStatus s : statuses) {
            array.add((ObjectNode) JsonCodec.mapper().valueToTree(s));
        }
        return array.toPrettyString() + "\n";
    }
}
