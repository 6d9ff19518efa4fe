package dev.handoff.cli;

import dev.handoff.protocol.NodeAddress;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code handoff wait NODE}: a sync point for rolling restarts and maintenance scripts. Exits 0 once every record
 * for NODE enqueued before TIME is completed, 1 on timeout (printing what is still pending), 2 on bad input.
 */
@Command(name = "wait", mixinStandardHelpOptions = true,
    description = "Wait until every record for NODE enqueued before TIME is completed (exact, from the node topic's "
        + "offsets and the replayer group's committed offsets). Exit 0 done, 1 timeout (prints what is pending), 2 bad usage.")
final class WaitCommand implements Callable<Integer> {
    private static final Duration POLL = Duration.ofMillis(250);

    @Mixin
    CommonOptions common;
    @Parameters(index = "0", paramLabel = "NODE", description = "The data node's address, host:port.")
    String node;
    @Option(names = "--enqueued-before", defaultValue = "now", paramLabel = "TIME",
        description = "now, an ISO-8601 instant (2026-12-01T15:00:00Z) or epoch milliseconds; not in the future "
            + "(default: ${DEFAULT-VALUE}).")
    String enqueuedBefore;
    @Option(names = "--timeout", defaultValue = "10m", converter = DurationConverter.class, paramLabel = "DURATION",
        description = "Give up (exit 1) after this long (default: ${DEFAULT-VALUE}).")
    Duration timeout;
    @Mixin
    ReplayerGroupOption group;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        NodeAddress.require("NODE", node);
        Clock clock = Clock.systemUTC();
        long started = clock.millis();
        Long time = parseTime(enqueuedBefore, started);
        if (timeout.isNegative()) {
            throw new UsageException("--timeout: 0 or more, got " + timeout);
        }
        PrintWriter out = spec.commandLine().getOut();
        String topic = common.topics().node(node);
        Map<String, Object> props = new HashMap<>(common.kafka().consumer(null, "handoff-cli-wait"));
        props.put("default.api.timeout.ms", (int) Math.min(Integer.MAX_VALUE, common.kafkaTimeout().toMillis()));
        try (Admin admin = Admin.create(common.admin());
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                 new ByteArrayDeserializer())) {
            SyncPoint point = SyncPoint.at(admin, consumer, topic, time, common.kafkaTimeout());
            String before = Instant.ofEpochMilli(time == null ? started : time).toString();
            if (point == null) {
                out.println("wait " + node + ": done: nothing was ever enqueued for it (no topic " + topic + ")");
                return 0;
            }
            long deadline = started + timeout.toMillis();
            while (true) {
                SyncPoint.Pending pending = point.pending(admin, consumer, group.groupId, common.kafkaTimeout());
                if (pending.done()) {
                    out.println("wait " + node + ": done: every record enqueued before " + before
                        + " is completed (group " + group.groupId + ")");
                    return 0;
                }
                if (clock.millis() >= deadline) {
                    out.println(timedOut(SyncPoint.summarize(consumer, pending, common.kafkaTimeout()), before,
                        clock.millis()));
                    return 1;
                }
                TimeUnit.MILLISECONDS.sleep(Math.min(POLL.toMillis(), Math.max(1, deadline - clock.millis())));
            }
        }
    }

    private String timedOut(SyncPoint.Summary s, String before, long now) {
        StringBuilder line = new StringBuilder("wait " + node + ": timeout after " + SettingsDefaults.text(timeout)
            + ": pending " + s.records() + " records enqueued before " + before + ", " + Bytes.human(s.bytes()));
        line.append(s.oldestEnqueuedAt() == null ? ", oldest -"
            : ", oldest " + Bytes.age(now - s.oldestEnqueuedAt()) + " old");
        if (s.read() < s.records()) {
            line.append(" (bytes and age from the first ").append(s.read()).append(" read within --kafka-timeout)");
        }
        if (s.unreadable() > 0) {
            line.append(" (").append(s.unreadable()).append(" unreadable: the replayer parks them)");
        }
        return line.toString();
    }

    /** {@code null} for now (the end offsets); otherwise epoch milliseconds. */
    static Long parseTime(String value, long now) {
        if ("now".equals(value)) {
            return null;
        }
        long at;
        try {
            at = value.chars().allMatch(Character::isDigit) && !value.isEmpty() ? Long.parseLong(value)
                : Instant.parse(value).toEpochMilli();
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new UsageException("--enqueued-before: now, an ISO-8601 instant such as 2026-12-01T15:00:00Z or epoch "
                + "milliseconds, got '" + value + "'");
        }
        if (at > now) {
            throw new UsageException("--enqueued-before: must not be in the future (got " + Instant.ofEpochMilli(at)
                + ", now " + Instant.ofEpochMilli(now) + "): records enqueued later would not be waited for");
        }
        return at;
    }
}
