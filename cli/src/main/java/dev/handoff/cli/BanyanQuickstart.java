package dev.handoff.cli;

import dev.handoff.banyandb.BanyanNode;
import dev.handoff.banyandb.CopyCheck;
import dev.handoff.banyandb.ReceiverLayout;
import dev.handoff.banyandb.SampleParts;
import dev.handoff.protocol.NodeStatus;
import dev.handoff.protocol.Topics;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * {@code handoff quickstart --sink banyandb}: the story against a BanyanDB test receiver. The receiver goes down;
 * parts are written in a BanyanDB liaison's layout (core + two sidx parts each, one part with a file over three
 * chunks) and handed off through the producer's {@code enqueueBanyanPart}; the receiver returns, the replayers
 * drain over SyncPart, and every part is checked: committed exactly once, with its sidx parts, byte-equal.
 */
record BanyanQuickstart(LocalStack stack, PrintWriter out, Path work) {
    private static final String GROUP = "sw_trace";
    private static final List<String> RULES = List.of("duration", "timestamp");
    private static final int WRITERS = 8;

    QuickstartScenario.Summary play(int count, Duration drainTimeout) throws Exception {
        String node = stack.banyanNodes().get(0).address();
        say("embedded Kafka at " + stack.bootstrapServers() + "; BanyanDB test receiver " + node + "; liaison part store at "
            + stack.producer().advertisedAddress());
        say("stopping " + node + " to simulate an outage");
        stack.stopBanyanNode(0);
        Map<Long, Path> parts = write(count, node);
        say("wrote " + count + " BanyanDB parts (core + sidx " + String.join(",", RULES) + ") and handed them off for " + node);
        Map<String, NodeStatus> status = waitForStatus(s -> s.containsKey(node) && s.get(node).pendingParts() >= count);
        out.print(StatusCommand.table(status.values(), System.currentTimeMillis()));
        say("bringing " + node + " back");
        BanyanNode back = stack.restartBanyanNode(0);
        drain(back, parts, drainTimeout);
        out.print(StatusCommand.table(waitForStatus(s -> s.containsKey(node) && s.get(node).pendingParts() == 0).values(),
            System.currentTimeMillis()));
        return verify(back, parts);
    }

    private Map<Long, Path> write(int count, String node) throws Exception {
        Path root = Files.createDirectories(work.resolve("liaison-data"));
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        Map<Long, Path> parts = new HashMap<>();
        try {
            List<Future<Path>> pending = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                long id = i + 1;
                int spans = i == 0 ? 2 * 1024 * 1024 + 4096 : 16 * 1024;
                pending.add(writers.submit(() -> {
                    Path core = SampleParts.write(root, GROUP, (int) (id % 2), id, RULES, spans, id);
                    stack.producer().enqueueBanyanPart(core, null, null, List.of(node));
                    return core;
                }));
            }
            Progress progress = new Progress(out, "writing ", count);
            for (int i = 0; i < count; i++) {
                parts.put((long) i + 1, pending.get(i).get());
                progress.update(i + 1, "");
            }
            progress.done();
        } finally {
            writers.shutdownNow();
        }
        return parts;
    }

    private void drain(BanyanNode node, Map<Long, Path> parts, Duration timeout) throws Exception {
        Progress progress = new Progress(out, "draining ", parts.size());
        long deadline = System.nanoTime() + timeout.toNanos();
        long start = System.nanoTime();
        long committed;
        do {
            committed = node.commitLog().stream().map(ReceiverLayout.Commit::senderPartId).distinct().count();
            double secs = Math.max(1e-3, (System.nanoTime() - start) / 1e9);
            progress.update((int) committed, String.format(" %.0f parts/s", committed / secs));
            if (committed < parts.size()) {
                TimeUnit.MILLISECONDS.sleep(100);
            }
        } while (committed < parts.size() && System.nanoTime() < deadline);
        progress.done();
    }

    private QuickstartScenario.Summary verify(BanyanNode node, Map<Long, Path> parts) throws Exception {
        Map<Long, List<ReceiverLayout.Commit>> byPart = new HashMap<>();
        for (ReceiverLayout.Commit c : node.commitLog()) {
            byPart.computeIfAbsent(c.senderPartId(), k -> new ArrayList<>()).add(c);
        }
        long delivered = 0;
        long lost = 0;
        long duplicates = 0;
        long verified = 0;
        for (Map.Entry<Long, Path> p : parts.entrySet()) {
            List<ReceiverLayout.Commit> commits = byPart.getOrDefault(p.getKey(), List.of());
            delivered += commits.isEmpty() ? 0 : 1;
            lost += commits.isEmpty() ? 1 : 0;
            duplicates += Math.max(0, commits.size() - 1);
            if (!commits.isEmpty() && commits.get(0).types().equals(List.of("core", "duration", "timestamp"))) {
                List<String> problems = CopyCheck.differences(p.getValue(), commits.get(0), node.dir());
                if (problems.isEmpty()) {
                    verified++;
                } else {
                    say("part " + p.getKey() + ": " + problems);
                }
            }
        }
        say("verified every part on " + node.address() + ": committed with its sidx parts in one session, files byte-equal, "
            + "metadata.json/manifest.json rebuilt from PartInfo");
        return new QuickstartScenario.Summary(parts.size(), delivered, lost, duplicates, verified);
    }

    private Map<String, NodeStatus> waitForStatus(java.util.function.Predicate<Map<String, NodeStatus>> done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Map<String, NodeStatus> status;
        do {
            status = StatusCommand.read(stack.kafka(), Duration.ofSeconds(10), Topics.defaults());
            if (done.test(status)) {
                return status;
            }
            TimeUnit.MILLISECONDS.sleep(250);
        } while (System.nanoTime() < deadline);
        return status;
    }

    private void say(String line) {
        out.println("quickstart: " + line);
        out.flush();
    }
}
