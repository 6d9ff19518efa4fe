package dev.handoff.cli;

import dev.handoff.cli.sim.PartFactory;
import dev.handoff.cli.sim.SimulatedLiaison;
import dev.handoff.datanode.DataNode;
import dev.handoff.protocol.NodeStatus;
import dev.handoff.protocol.Topics;
import dev.handoff.replayer.PartSink;
import dev.handoff.replayer.ReplayerSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One run of the quickstart's scenario against a started stack: a data node down, parts written for every owner,
 * the node back, the drain watched, and every part verified on every node.
 */
final class QuickstartScenario {
    /** Data nodes the quickstart runs (the plan's), the one it stops, and the liaison's writer threads. */
    static final int OWNERS = 3;
    static final int DOWN = 2;
    private static final int WRITERS = 8;

    private final LocalStack stack;
    private final PrintWriter out;
    private final Path work;
    private final Topics topics = Topics.defaults();

    record Summary(long enqueued, long delivered, long lost, long duplicates, long verified) {
        boolean ok(int parts) {
            return lost == 0 && duplicates == 0 && verified == parts;
        }
    }

    QuickstartScenario(LocalStack stack, PrintWriter out, Path work) {
        this.stack = stack;
        this.out = out;
        this.work = work;
    }

    Summary play(int count, Duration drainTimeout) throws Exception {
        List<DataNode> nodes = stack.dataNodes();
        List<String> owners = new ArrayList<>();
        nodes.forEach(n -> owners.add(n.address()));
        say("embedded Kafka at " + stack.bootstrapServers() + "; data nodes " + String.join(", ", owners)
            + "; liaison part store at " + stack.producer().advertisedAddress());
        String down = owners.get(DOWN);
        say("stopping data node " + down + " to simulate an outage");
        stack.stopDataNode(DOWN);

        List<SimulatedLiaison.Shipment> shipments = writeParts(count, owners);
        long enqueued = shipments.stream().mapToLong(s -> s.handedOff().size()).sum();
        say("wrote " + count + " parts for all " + OWNERS + " owners; " + enqueued + " handed off");
        long retried = shipments.stream().filter(s -> s.publishRetries() > 0).count();
        if (retried > 0) {
            say(retried + " enqueue(s) retried after Kafka did not acknowledge in time (the producer kept the "
                + "bundles stored; every retry was acknowledged)");
        }
        showStatusWhenPending(down, enqueued);

        say("bringing " + down + " back");
        DataNode returned = stack.restartDataNode(DOWN);
        drain(returned, shipments, drainTimeout);
        showStatusWhenSettled(down);
        return verify(shipments, stack.dataNodes());
    }

    private List<SimulatedLiaison.Shipment> writeParts(int count, List<String> owners) throws Exception {
        List<SimulatedLiaison.Shipment> shipments = new ArrayList<>(count);
        ReplayerSettings sinkSettings = ReplayerSettings.builder(stack.kafka()).sessionTimeout(Duration.ofSeconds(10)).build();
        PartFactory factory = new PartFactory(Files.createDirectories(work.resolve("liaison-data")), "liaison-0",
            System.nanoTime());
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        try (PartSink sink = sinkSettings.sinkFactory().create(sinkSettings)) {
            SimulatedLiaison liaison = new SimulatedLiaison(stack.producer(), sink, owners, Clock.systemUTC());
            List<Future<SimulatedLiaison.Shipment>> pending = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                PartFactory.Part part = factory.create(i, 4);
                pending.add(writers.submit(() -> liaison.ship(part)));
            }
            Progress progress = new Progress(out, "writing ", count);
            for (Future<SimulatedLiaison.Shipment> f : pending) {
                shipments.add(f.get());
                progress.update(shipments.size(), "");
            }
            progress.done();
        } finally {
            writers.shutdownNow();
        }
        return shipments;
    }

    private void showStatusWhenPending(String down, long expected) throws InterruptedException {
        Map<String, NodeStatus> status = waitForStatus(Duration.ofSeconds(15),
            s -> s.containsKey(down) && s.get(down).pendingParts() >= expected);
        say("node status while " + down + " is down (from " + topics.nodeStatus() + "):");
        out.print(StatusCommand.table(status.values(), System.currentTimeMillis()));
    }

    private void drain(DataNode returned, List<SimulatedLiaison.Shipment> shipments, Duration timeout)
        throws InterruptedException {
        List<SimulatedLiaison.Shipment> owed = shipments.stream()
            .filter(s -> s.handedOff().contains(returned.address())).toList();
        Progress progress = new Progress(out, "draining ", owed.size());
        long deadline = System.nanoTime() + timeout.toNanos();
        long start = System.nanoTime();
        int applied;
        do {
            applied = (int) owed.stream().filter(s -> returned.appliedCount(s.part().key()) > 0).count();
            double secs = Math.max(1e-3, (System.nanoTime() - start) / 1e9);
            progress.update(applied, String.format(" %.0f parts/s", applied / secs));
            if (applied < owed.size()) {
                java.util.concurrent.TimeUnit.MILLISECONDS.sleep(100);
            }
        } while (applied < owed.size() && System.nanoTime() < deadline);
        progress.done();
    }

    private void showStatusWhenSettled(String down) throws InterruptedException {
        Map<String, NodeStatus> status = waitForStatus(Duration.ofSeconds(20),
            s -> s.containsKey(down) && s.get(down).pendingParts() == 0 && s.values().stream().allMatch(n -> n.pendingParts() == 0));
        say("node status after the drain:");
        out.print(StatusCommand.table(status.values(), System.currentTimeMillis()));
    }

    private Map<String, NodeStatus> waitForStatus(Duration timeout, java.util.function.Predicate<Map<String, NodeStatus>> done)
        throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, NodeStatus> status;
        do {
            status = StatusCommand.read(stack.kafka(), Duration.ofSeconds(10), topics);
            if (done.test(status)) {
                return status;
            }
            java.util.concurrent.TimeUnit.MILLISECONDS.sleep(250);
        } while (System.nanoTime() < deadline);
        return status;
    }

    private Summary verify(List<SimulatedLiaison.Shipment> shipments, List<DataNode> nodes) throws IOException {
        long enqueued = 0;
        long delivered = 0;
        long lost = 0;
        long duplicates = 0;
        long verified = 0;
        for (SimulatedLiaison.Shipment s : shipments) {
            boolean allGood = true;
            for (DataNode node : nodes) {
                int count = node.appliedCount(s.part().key());
                boolean handedOff = s.handedOff().contains(node.address());
                enqueued += handedOff ? 1 : 0;
                delivered += handedOff && count > 0 ? 1 : 0;
                lost += count == 0 ? 1 : 0;
                duplicates += Math.max(0, count - 1);
                if (count == 0 || !node.verify(s.part().key(), s.part().types()).isEmpty()) {
                    allGood = false;
                }
            }
            verified += allGood ? 1 : 0;
        }
        say("verified bytes and CRC32C of every part on every data node");
        return new Summary(enqueued, delivered, lost, duplicates, verified);
    }

    void printInspection() {
        say("--keep: everything stays up until Ctrl-C. Try, in another terminal:");
        out.println("  bin/handoff status --bootstrap-servers " + stack.bootstrapServers());
        String node = stack.dataNodes().isEmpty() ? stack.banyanNodes().get(0).address() : stack.dataNodes().get(0).address();
        out.println("  bin/handoff pause " + node + " --bootstrap-servers "
            + stack.bootstrapServers());
        out.println("  kcat -b " + stack.bootstrapServers() + " -C -t " + topics.nodeStatus() + " -K '\\t' -e");
        out.println("  kafka-consumer-groups.sh --bootstrap-server " + stack.bootstrapServers()
            + " --describe --group " + ReplayerSettings.DEFAULT_GROUP_ID);
        out.println("  files: " + work);
    }

    private void say(String line) {
        out.println("quickstart: " + line);
        out.flush();
    }
}
