package dev.handoff.cli;

import dev.handoff.protocol.ControlCommand;
import dev.handoff.protocol.ControlCommand.Action;
import dev.handoff.protocol.NodeAddress;
import dev.handoff.protocol.NodeStatus;
import dev.handoff.protocol.RetargetChain;
import dev.handoff.protocol.common.TopicAdmin;
import dev.handoff.protocol.common.TopicAdmin.TopicSettings;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code handoff retarget OLD NEW | OLD --clear}: a node replaced for good (decommission, replace-node). Creates NEW's
 * topic when missing (as OLD's: partitions and replication factor), then writes a RETARGET command for OLD; replayers
 * move every record of OLD, pending now or enqueued later, to NEW's topic, each in one transaction with OLD's
 * completion RETARGETED, and the topology and the producers' garbage collection count NEW as the target instead.
 */
@Command(name = "retarget", mixinStandardHelpOptions = true,
    description = "Move OLD's pending records (and any enqueued for OLD later) to NEW, the node that replaces it; "
        + "--clear stops moving them. `status` then shows OLD drained and NEW pending.")
final class RetargetCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Mixin
    TopicOptions topicOptions;
    @Parameters(index = "0", paramLabel = "OLD", description = "The replaced data node's address, host:port.")
    String old;
    @Parameters(index = "1", arity = "0..1", paramLabel = "NEW", description = "The address of the node that replaces it.")
    String to;
    @Option(names = "--clear", description = "Stop moving OLD's records: they wait for OLD itself again.")
    boolean clear;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        NodeAddress.require("OLD", old);
        if (clear == (to != null)) {
            throw new UsageException("NEW, or --clear: exactly one is required");
        }
        String by = ControlCommands.Base.operator();
        long at = Clock.systemUTC().millis();
        if (clear) {
            ControlCommands.Base.send(common, List.of(new ControlCommand(old, Action.CLEAR_RETARGET, by, at)));
            spec.commandLine().getOut().println("retarget " + old + ": cleared, sent by " + by);
            return 0;
        }
        NodeAddress.require("NEW", to);
        if (to.equals(old)) {
            throw new UsageException("NEW must differ from OLD (" + old + ")");
        }
        refuseLoop(StatusCommand.read(common.kafka(), common.kafkaTimeout(), common.topics()));
        boolean created = ensureTopic();
        ControlCommands.Base.send(common, List.of(ControlCommand.retarget(old, to, by, at)));
        spec.commandLine().getOut().println("retarget " + old + " -> " + to + ": sent by " + by
            + (created ? "; created " + common.topics().node(to) : ""));
        return 0;
    }

    /** Refuses NEW when NEW's own replacements lead back to OLD: records would move in a circle. */
    private void refuseLoop(Map<String, NodeStatus> statuses) {
        // the chain from OLD as it would be with this retarget in force
        RetargetChain chain = RetargetChain.from(old, n -> n.equals(old)
            ? NodeStatus.unknown(old, 0).withRetargetTo(to) : statuses.get(n));
        if (chain.loops()) {
            throw new UsageException("NEW " + to + " is retargeted to " + String.join(" -> ", chain.nodes())
                + ": records would move in a loop; clear or change that retarget first");
        }
    }

    /** Creates NEW's node topic when missing, with OLD's partitions and replication factor when OLD's topic exists. */
    private boolean ensureTopic() throws InterruptedException {
        try (Admin admin = Admin.create(common.admin())) {
            TopicSettings settings = topicOptions.settings();
            TopicDescription oldTopic = KafkaReads.describeOrNull(admin, common.topics().node(old), common.kafkaTimeout());
            if (oldTopic != null) {
                settings = new TopicSettings(oldTopic.partitions().size(),
                    (short) oldTopic.partitions().get(0).replicas().size(), settings.minInsyncReplicas());
            }
            return TopicAdmin.ensure(admin, common.topics().node(to), settings, TopicAdmin.nodeTopicConfigs(),
                common.kafkaTimeout());
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot create " + common.topics().node(to) + " within --kafka-timeout: "
                + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
        }
    }
}
