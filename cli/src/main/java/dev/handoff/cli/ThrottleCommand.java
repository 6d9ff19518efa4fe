package dev.handoff.cli;

import dev.handoff.protocol.ControlCommand;
import dev.handoff.protocol.ControlCommand.Action;
import dev.handoff.protocol.NodeAddress;
import dev.handoff.protocol.Throttle;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code handoff throttle NODE|--all --max-parts-per-sec N --max-bytes-per-sec B | --clear}: live replay rate limits,
 * one THROTTLE (or CLEAR_THROTTLE) control command per node. Running replayers apply it to the replay in progress.
 */
@Command(name = "throttle", mixinStandardHelpOptions = true,
    description = "Set (or --clear) NODE's replay rate limits while replayers run; applied within 1 s to the replay in "
        + "progress, shown by `status`. A limit left out is the replayers' startup option; 0 = unlimited.")
final class ThrottleCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Parameters(index = "0", arity = "0..1", paramLabel = "NODE", description = "The data node's address, host:port.")
    String node;
    @Option(names = "--all", description = "Every node that has a status in the node-status topic now.")
    boolean all;
    @Option(names = "--max-parts-per-sec", paramLabel = "N", description = "Bundles started per second to the node, 0 = unlimited.")
    Long maxPartsPerSec;
    @Option(names = "--max-bytes-per-sec", paramLabel = "BYTES", description = "Bytes per second streamed to the node, 0 = unlimited.")
    Long maxBytesPerSec;
    @Option(names = "--clear", description = "Drop the live limits: the replayers' startup options apply again.")
    boolean clear;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        boolean limits = maxPartsPerSec != null || maxBytesPerSec != null;
        if ((node == null) == !all) {
            throw new UsageException("NODE or --all: exactly one is required");
        }
        if (clear == limits) {
            throw new UsageException("--max-parts-per-sec and/or --max-bytes-per-sec, or --clear: exactly one of the two is required");
        }
        Throttle throttle = clear ? null : new Throttle(maxPartsPerSec, maxBytesPerSec);
        List<String> nodes = all ? knownNodes() : List.of(NodeAddress.require("NODE", node));
        String by = ControlCommands.Base.operator();
        long at = Clock.systemUTC().millis();
        List<ControlCommand> commands = new ArrayList<>();
        for (String n : nodes) {
            commands.add(new ControlCommand(n, clear ? Action.CLEAR_THROTTLE : Action.THROTTLE, by, at, throttle));
        }
        ControlCommands.Base.send(common, commands);
        for (String n : nodes) {
            spec.commandLine().getOut().println("throttle " + n + ": " + describe(throttle) + ", sent by " + by);
        }
        return 0;
    }

    private List<String> knownNodes() {
        List<String> nodes = new ArrayList<>(StatusCommand.read(common.kafka(), common.kafkaTimeout(), common.topics()).keySet());
        if (nodes.isEmpty()) {
            throw new IllegalStateException("--all: no node has a status in " + common.topics().nodeStatus()
                + " yet (is the topology running?)");
        }
        return nodes;
    }

    /** How {@code status} and this verb show a throttle: {@code 5 parts/s, 1.0 MiB/s}, {@code -} for none. */
    static String describe(Throttle t) {
        if (t == null) {
            return "-";
        }
        return rate(t.maxPartsPerSec(), " parts/s", false) + ", " + rate(t.maxBytesPerSec(), "/s", true);
    }

    private static String rate(Long v, String unit, boolean bytes) {
        if (v == null) {
            return "default" + (bytes ? " bytes/s" : unit);
        }
        if (v == 0) {
            return "unlimited" + (bytes ? " bytes/s" : unit);
        }
        return (bytes ? Bytes.human(v) : Long.toString(v)) + unit;
    }
}
