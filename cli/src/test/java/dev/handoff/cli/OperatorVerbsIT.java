package dev.handoff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.protocol.ControlCommand;
import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.FileEntry;
import dev.handoff.protocol.Health;
import dev.handoff.protocol.NodeStatus;
import dev.handoff.protocol.PartTypeEntry;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.common.HandoffHeaders;
import dev.handoff.protocol.json.Codecs;
import dev.handoff.testkit.KafkaClusterExtension;
import dev.handoff.testkit.SharedKafkaTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** init, pause/resume/truncate, status and parked against a real broker, through the real command line. */
class OperatorVerbsIT extends SharedKafkaTest {
    private String prefix;

    @BeforeEach
    void freshPrefix() {
        prefix = KafkaClusterExtension.unique("ops");
    }

    private CliRun run(String... args) {
        return CliRun.of(CliRun.kafka(KAFKA.bootstrapServers(), prefix), args);
    }

    @Test
    void shouldCreateFixedTopicsOnceAndReportExistingOnesAfterwards() {
        // When
        CliRun first = run("init", "--partitions=1");
        CliRun second = run("init", "--partitions=1");
        // Then
        assertThat(first.code()).isZero();
        assertThat(first.out()).contains("created " + prefix + ".node-status").contains("created " + prefix + ".parked")
            .contains("created " + prefix + ".quarantine");
        assertThat(second.code()).isZero();
        assertThat(second.out()).contains("exists  " + prefix + ".node-status").doesNotContain("created");
    }

    @Test
    void shouldWritePauseResumeAndTruncateCommandsForTheNode() throws Exception {
        // Given
        run("init", "--partitions=1");
        // When
        assertThat(run("pause", "dn-1:17912").code()).isZero();
        assertThat(run("resume", "dn-1:17912").code()).isZero();
        assertThat(run("truncate", "dn-1:17912").code()).isZero();
        // Then
        List<ControlCommand> commands = controlCommands();
        assertThat(commands).extracting(ControlCommand::action)
            .containsExactly(ControlCommand.Action.PAUSE, ControlCommand.Action.RESUME, ControlCommand.Action.TRUNCATE);
        assertThat(commands).allSatisfy(c -> {
            assertThat(c.node()).isEqualTo("dn-1:17912");
            assertThat(c.by()).startsWith("cli:");
        });
    }

    @Test
    void shouldCreateTheReplacementsTopicLikeTheOldOnesAndWriteTheRetarget() throws Exception {
        // Given the fixed topics and OLD's node topic with 2 partitions
        run("init", "--partitions=1");
        Topics topics = new Topics(prefix);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topics.node("old-1:17912"), 2, (short) 1))).all().get();

            // When the operator retargets OLD to NEW, then clears it
            CliRun moved = run("retarget", "old-1:17912", "new-1:17912");
            CliRun cleared = run("retarget", "old-1:17912", "--clear");

            // Then NEW's topic exists with OLD's partitions, and the control topic holds the RETARGET and its clear
            assertThat(moved.code()).as(moved.err()).isZero();
            assertThat(moved.out()).contains("retarget old-1:17912 -> new-1:17912").contains("created " + topics.node("new-1:17912"));
            assertThat(cleared.code()).as(cleared.err()).isZero();
            assertThat(admin.describeTopics(List.of(topics.node("new-1:17912"))).allTopicNames().get()
                .get(topics.node("new-1:17912")).partitions()).hasSize(2);
        }
        List<ControlCommand> commands = controlCommands();
        assertThat(commands).extracting(ControlCommand::action)
            .containsExactly(ControlCommand.Action.RETARGET, ControlCommand.Action.CLEAR_RETARGET);
        assertThat(commands.get(0).node()).isEqualTo("old-1:17912");
        assertThat(commands.get(0).to()).isEqualTo("new-1:17912");
    }

    @Test
    void shouldRefuseARetargetThatWouldLoopOrNamesNoNewNodeWithUsageExitCode() throws Exception {
        // Given B retargeted to A in the node statuses
        run("init", "--partitions=1");
        try (KafkaProducer<String, byte[]> p = producer()) {
            p.send(new ProducerRecord<>(new Topics(prefix).nodeStatus(), "b-1:1", Codecs.NODE_STATUS.encode(
                new NodeStatus("b-1:1", Health.DOWN, false, null, 0, 0, null, 2L, null, "a-1:1")))).get();
        }
        // When the operator retargets A to B, A to itself, or gives no new node
        CliRun loop = run("retarget", "a-1:1", "b-1:1");
        CliRun self = run("retarget", "a-1:1", "a-1:1");
        CliRun none = run("retarget", "a-1:1");
        // Then each is refused with exit code 2 and a reason, and nothing is written
        assertThat(loop.code()).isEqualTo(2);
        assertThat(loop.err()).contains("a-1:1 -> b-1:1 -> a-1:1").contains("loop");
        assertThat(self.code()).isEqualTo(2);
        assertThat(self.err()).contains("NEW must differ from OLD");
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("NEW, or --clear");
        assertThat(controlCommands()).isEmpty();
    }

    private List<ControlCommand> controlCommands() {
        List<ControlCommand> commands = new ArrayList<>();
        KafkaReads.readToEnd(dev.handoff.protocol.common.KafkaSettings.of(KAFKA.bootstrapServers()), java.time.Duration.ofSeconds(15),
            new Topics(prefix).control(), r -> {
                try {
                    commands.add(Codecs.CONTROL.decode(r.value()));
                } catch (dev.handoff.protocol.InvalidRecordException e) {
                    throw new AssertionError(e);
                }
            });
        return commands;
    }

    @Test
    void shouldRefuseABadNodeAddressWithUsageExitCode() {
        CliRun r = run("pause", "not-an-address");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("NODE").contains("host:port");
    }

    @Test
    void shouldFailWithOneLineWhenKafkaIsUnreachable() {
        CliRun r = CliRun.of("status", "--bootstrap-servers=127.0.0.1:1", "--topic-prefix=" + prefix, "--kafka-timeout=2s");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("127.0.0.1:1").doesNotContain("\tat ");
    }

    @Test
    void shouldShowLatestStatusPerNodeAsTableAndJson() throws Exception {
        // Given two nodes, one with an older and a newer status
        run("init", "--partitions=1");
        Topics topics = new Topics(prefix);
        try (KafkaProducer<String, byte[]> p = producer()) {
            p.send(new ProducerRecord<>(topics.nodeStatus(), "dn-1:1",
                Codecs.NODE_STATUS.encode(new NodeStatus("dn-1:1", Health.UP, false, null, 5, 5000, 1L, 2L)))).get();
            p.send(new ProducerRecord<>(topics.nodeStatus(), "dn-1:1",
                Codecs.NODE_STATUS.encode(new NodeStatus("dn-1:1", Health.DOWN, true, null, 7, 7 * 1024 * 1024, 1L, 3L)))).get();
            p.send(new ProducerRecord<>(topics.nodeStatus(), "dn-2:1",
                Codecs.NODE_STATUS.encode(NodeStatus.unknown("dn-2:1", 4L)))).get();
        }
        // When
        CliRun table = run("status");
        CliRun json = run("status", "--output=json");
        // Then
        assertThat(table.code()).isZero();
        assertThat(table.out()).contains("NODE").contains("PENDING");
        assertThat(table.out().lines().filter(l -> l.startsWith("dn-1:1"))).singleElement().asString()
            .contains("DOWN").contains("yes").contains("7").contains("7.0 MiB");
        assertThat(table.out()).contains("dn-2:1").contains("UNKNOWN");
        assertThat(json.out()).contains("\"pendingParts\" : 7").contains("\"node\" : \"dn-2:1\"");
    }

    @Test
    void shouldListThenRedriveParkedRecordsOnce() throws Exception {
        // Given one parked record with its reason
        run("init", "--partitions=1");
        Topics topics = new Topics(prefix);
        EnqueueRecord record = new EnqueueRecord("dn-9:1", List.of("dn-9:1"), "liaison-a", "liaison-a:1", "g", 0, 42L,
            List.of(new PartTypeEntry("core", List.of(new FileEntry("primary.bin", 3, 7)), Map.of())), 3, 10L, null);
        try (KafkaProducer<String, byte[]> p = producer()) {
            ProducerRecord<String, byte[]> parked = new ProducerRecord<>(topics.parked(), "dn-9:1", Codecs.ENQUEUE.encode(record));
            HandoffHeaders.put(parked.headers(), HandoffHeaders.REASON, "source-not-found");
            p.send(parked).get();
        }
        // When
        CliRun list = run("parked", "list");
        CliRun redrive = run("parked", "redrive", "dn-9:1");
        CliRun after = run("parked", "list");
        // Then
        assertThat(list.out()).contains("liaison-a/g/0/000000000000002a").contains("source-not-found").contains("1 parked");
        assertThat(redrive.code()).isZero();
        assertThat(redrive.out()).contains("redriven=1 skipped=0");
        assertThat(after.out()).contains("0 parked");
        List<EnqueueRecord> requeued = new ArrayList<>();
        KafkaReads.readToEnd(dev.handoff.protocol.common.KafkaSettings.of(KAFKA.bootstrapServers()), java.time.Duration.ofSeconds(15), topics.node("dn-9:1"),
            r -> {
                try {
                    requeued.add(Codecs.ENQUEUE.decode(r.value()));
                } catch (dev.handoff.protocol.InvalidRecordException e) {
                    throw new AssertionError(e);
                }
            });
        assertThat(requeued).containsExactly(record);
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of("bootstrap.servers", KAFKA.bootstrapServers()), new StringSerializer(),
            new ByteArraySerializer());
    }
}
