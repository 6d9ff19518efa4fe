package dev.handoff.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.testkit.FreePorts;
import dev.handoff.testkit.KafkaClusterExtension;
import dev.handoff.testkit.SharedKafkaTest;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Every role of the launcher with {@code --metrics-port}, scraped by a real Prometheus (Debian's package). A
 * data node goes DOWN, parts are enqueued for it (one batch call, one corrupted part), it comes back UP; through
 * Prometheus' HTTP API: the pending and delivered series move with the scenario, every metric of the README's
 * table exists with its documented type and labels, and every PromQL expression of the shipped dashboard and
 * alert rules evaluates (the dashboard's with data).
 */
class PrometheusIT extends SharedKafkaTest {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final Path ROOT = RepositoryRoot.find();
    /** Grafana's interval variables, as Grafana would expand them for a 1 s scrape interval. */
    private static final Map<String, String> GRAFANA_VARIABLES = Map.of("$__rate_interval", "1m", "$__interval", "15s");

    private final List<RunningRole> roles = new ArrayList<>();

    @Test
    void shouldExportEveryDocumentedMetricToARealPrometheusThroughAnOutageAndRecovery() throws Exception {
        // Given every role started by the real launcher with its own metrics port, and Prometheus scraping them
        int[] ports = FreePorts.take(10);
        String dn1 = "localhost:" + ports[0];
        String dn2 = "localhost:" + ports[1];
        int producerPort = ports[2];
        // Enqueue has a listener of its own (loopback), apart from the part store's port
        int enqueuePort = ports[9];
        Map<String, Integer> metrics = new LinkedHashMap<>();
        metrics.put("datanode-1", ports[3]);
        metrics.put("datanode-2", ports[4]);
        metrics.put("topology", ports[5]);
        metrics.put("replayer", ports[6]);
        metrics.put("producer", ports[7]);
        String prefix = KafkaClusterExtension.unique("prom");
        String topologyId = KafkaClusterExtension.unique("topology");
        String bootstrap = "--bootstrap-servers=" + KAFKA.bootstrapServers();
        Path parts = Files.createDirectories(tmp.resolve("parts"));
        String[] dataNode2 = {"datanode", "--listen=" + dn2, "--dir=" + tmp.resolve("dn2"), "--metrics-port=" + ports[4]};
        try (PrometheusServer prometheus = PrometheusServer.start(Files.createDirectories(tmp.resolve("prometheus")),
                config(metrics), ports[8])) {
            start("datanode", "--listen=" + dn1, "--dir=" + tmp.resolve("dn1"), "--metrics-port=" + ports[3]);
            RunningRole node2 = start(dataNode2);
            start("topology", bootstrap, "--topic-prefix=" + prefix, "--application-id=" + topologyId,
                "--state-dir=" + tmp.resolve("state"), "--metrics-port=" + ports[5]);
            start("replayer", bootstrap, "--topic-prefix=" + prefix, "--group-id=" + KafkaClusterExtension.unique("g"),
                "--topology-application-id=" + topologyId, "--retry-budget=2", "--backoff-initial=200ms", "--backoff-max=1s",
                "--metrics-port=" + ports[6]);
            start("producer", bootstrap, "--topic-prefix=" + prefix, "--partitions=1", "--store-dir=" + tmp.resolve("store"),
                "--liaison=liaison-p", "--listen=localhost:" + producerPort, "--nodes=" + dn1 + "," + dn2,
                "--health-interval=200ms", "--enqueue-root=" + parts, "--enqueue-listen=127.0.0.1:" + enqueuePort,
                "--metrics-port=" + ports[7]);
            await().atMost(WAIT).untilAsserted(() -> {
                JsonNode targets = prometheus.api("targets?state=active").path("data").path("activeTargets");
                assertThat(targets).hasSize(metrics.size());
                targets.forEach(t -> assertThat(t.path("health").asText()).as("target %s", t).isEqualTo("up"));
            });
            await().atMost(WAIT).untilAsserted(() ->
                assertThat(prometheus.value("max(handoff_node_deliverable{node=\"" + dn2 + "\"})")).isEqualTo(1));

            // When data node 2 goes DOWN
            assertThat(node2.stop(60)).isZero();
            await().atMost(WAIT).untilAsserted(() ->
                assertThat(prometheus.value("max(handoff_node_deliverable{node=\"" + dn2 + "\"})")).isZero());

            // and three parts for both nodes are enqueued in one call, with a fourth directory outside the root
            List<Path> good = List.of(part(parts, 1), part(parts, 2), part(parts, 3));
            Path outside = part(Files.createDirectories(tmp.resolve("elsewhere")), 9);
            Path list = Files.writeString(tmp.resolve("parts.txt"), "# from a file\n" + good.get(2) + "\n\n" + outside + "\n");
            CliRun batch = enqueue("--part-dir=" + good.get(0), "--part-dir=" + good.get(1), "--from-file=" + list,
                "--nodes=" + dn1 + "," + dn2, "--producer=127.0.0.1:" + enqueuePort);

            // Then the three go through, one line each, and the refused one is named with exit 2
            assertThat(batch.code()).as("enqueue: %s %s", batch.out(), batch.err()).isEqualTo(2);
            assertThat(batch.out().lines().filter(l -> l.startsWith("enqueued liaison-p/g/0/")).count()).isEqualTo(3);
            assertThat(batch.err()).contains("FAILED " + outside).contains("1 of 4 parts failed: " + outside);

            // When one more part, for node 2 only, is enqueued and its stored file corrupted in place (a hard link)
            Path corrupt = part(parts, 4);
            assertThat(enqueue("--part-dir=" + corrupt, "--nodes=" + dn2, "--producer=127.0.0.1:" + enqueuePort).code()).isZero();
            Path file = corrupt.resolve("core/primary.bin");
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(new byte[] {(byte) 0xff, (byte) 0xfe}), 0);
            }

            // Then node 2's pending parts read 4 in Prometheus, node 1 has its three delivered
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(prometheus.value("max(handoff_node_pending_parts{node=\"" + dn2 + "\"})")).isEqualTo(4);
                assertThat(prometheus.value("max(handoff_node_pending_bytes{node=\"" + dn2 + "\"})")).isPositive();
                assertThat(prometheus.value("max(handoff_node_oldest_pending_age_seconds{node=\"" + dn2 + "\"})")).isNotNegative();
                assertThat(prometheus.value(delivered(dn1))).isEqualTo(3);
                assertThat(prometheus.value("max(handoff_node_pending_parts{node=\"" + dn1 + "\"})")).isZero();
            });
            assertThat(prometheus.value(delivered(dn2))).isNaN();

            // When node 2 comes back UP
            start(dataNode2);

            // Then its three good parts are delivered, the corrupted one parked, and nothing is pending
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(prometheus.value(delivered(dn2))).isEqualTo(3);
                assertThat(prometheus.value("sum(handoff_replay_parked_total)")).isEqualTo(1);
                assertThat(prometheus.value("max(handoff_node_pending_parts{node=\"" + dn2 + "\"})")).isZero();
                assertThat(prometheus.value("max(handoff_node_deliverable{node=\"" + dn2 + "\"})")).isEqualTo(1);
            });
            assertThat(prometheus.value("sum(handoff_enqueue_parts_total{outcome=\"enqueued\"})")).isEqualTo(4);

            // And every metric of the README's table exists with its documented type and labels
            for (Documented m : readmeMetrics()) {
                assertDocumented(prometheus, m);
            }
            // And every expression of the dashboard and the rules evaluates; the dashboard's return data (a rate or
            // increase needs two scrapes of a series, and the parked counter appears with the first park)
            List<String> dashboard = dashboardExpressions();
            await().atMost(WAIT).untilAsserted(() -> {
                for (String expr : dashboard) {
                    assertThat(prometheus.query(expr)).as("dashboard query %s", expr).isNotEmpty();
                }
            });
            for (String expr : ruleExpressions()) {
                prometheus.query(expr);
            }
            await().atMost(WAIT).untilAsserted(() -> {
                JsonNode groups = prometheus.api("rules").path("data").path("groups");
                List<JsonNode> rules = new ArrayList<>();
                groups.forEach(g -> g.path("rules").forEach(rules::add));
                assertThat(rules).hasSize(6);
                rules.forEach(r -> assertThat(r.path("health").asText()).as("rule %s", r).isEqualTo("ok"));
            });
        } finally {
            for (int i = roles.size() - 1; i >= 0; i--) {
                RunningRole r = roles.get(i);
                if (!r.exit().isDone()) {
                    r.stop(60);
                }
            }
        }
    }

    private RunningRole start(String... args) {
        RunningRole r = RunningRole.start(args);
        roles.add(r);
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(r.exit()).as("exited early: %s", r.out()).isNotDone();
            assertThat(r.out().toString()).contains("metrics on http://localhost:");
        });
        return r;
    }

    private static String delivered(String node) {
        return "sum(handoff_replay_parts_total{node=\"" + node + "\",outcome=\"delivered\"})";
    }

    /** A part directory {@code <dir>/<16 hex>/core/primary.bin} of 4 KiB. */
    private static Path part(Path dir, long id) throws Exception {
        Path part = dir.resolve(String.format("%016x", id));
        Files.createDirectories(part.resolve("core"));
        byte[] data = new byte[4096];
        new java.util.Random(id).nextBytes(data);
        Files.write(part.resolve("core/primary.bin"), data);
        return part;
    }

    private static CliRun enqueue(String... args) {
        List<String> all = new ArrayList<>(List.of("enqueue", "--liaison=liaison-p", "--group=g", "--shard=0"));
        all.addAll(List.of(args));
        return CliRun.of(all.toArray(String[]::new));
    }

    /** Scrape jobs named handoff-<role>, as the rules expect, every second; the shipped rules loaded. */
    private static String config(Map<String, Integer> metrics) {
        StringBuilder b = new StringBuilder("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n")
            .append("rule_files:\n  - ").append(ROOT.resolve("deploy/prometheus/handoff-rules.yml")).append('\n')
            .append("scrape_configs:\n");
        metrics.forEach((role, port) -> b.append("  - job_name: handoff-").append(role).append('\n')
            .append("    static_configs:\n      - targets: ['localhost:").append(port).append("']\n"));
        return b.toString();
    }

    /** A row of the README's metrics table: one name, its type (counter, gauge, timer) and tags. */
    record Documented(String name, String type, Set<String> tags) {
    }

    static List<Documented> readmeMetrics() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        String section = readme.substring(readme.indexOf("## Metrics"), readme.indexOf("\n## ", readme.indexOf("## Metrics") + 3));
        Pattern row = Pattern.compile("^\\| (`handoff_[^|]+) \\| (\\w+) \\|([^|]*)\\|", Pattern.MULTILINE);
        List<Documented> out = new ArrayList<>();
        for (Matcher m = row.matcher(section); m.find(); ) {
            Set<String> tags = new TreeSet<>();
            for (String t : m.group(3).split(",")) {
                if (!t.isBlank()) {
                    tags.add(t.strip());
                }
            }
            for (String name : m.group(1).split(" / ")) {
                out.add(new Documented(name.replace("`", "").strip(), m.group(2), tags));
            }
        }
        assertThat(out).as("metrics rows in README.md").hasSizeGreaterThan(20);
        return out;
    }

    private static void assertDocumented(PrometheusServer prometheus, Documented m) throws Exception {
        String series = m.type().equals("timer") ? m.name() + "_count" : m.name();
        JsonNode found = prometheus.api("series?match[]=" + URLEncoder.encode(series, StandardCharsets.UTF_8)).path("data");
        assertThat(found).as("series of %s", m).isNotEmpty();
        Set<String> labels = new TreeSet<>();
        found.forEach(s -> s.fieldNames().forEachRemaining(labels::add));
        labels.removeAll(Set.of("__name__", "job", "instance"));
        assertThat(labels).as("labels of %s", m.name()).isEqualTo(m.tags());
        String family = m.name().endsWith("_total") ? m.name().substring(0, m.name().length() - "_total".length()) : m.name();
        JsonNode metadata = prometheus.api("metadata?metric=" + family).path("data").path(family);
        if (metadata.isMissingNode()) {
            metadata = prometheus.api("metadata?metric=" + m.name()).path("data").path(m.name());
        }
        String expected = switch (m.type()) {
            case "timer" -> "summary";
            case "counter", "gauge" -> m.type();
            default -> throw new AssertionError("README.md: unknown metric type '" + m.type() + "' of " + m.name());
        };
        assertThat(metadata).as("metadata of %s", m.name()).isNotEmpty();
        assertThat(metadata.get(0).path("type").asText()).as("type of %s", m.name()).isEqualTo(expected);
    }

    static List<String> dashboardExpressions() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(ROOT.resolve("deploy/grafana/handoff.json").toFile());
        List<String> out = new ArrayList<>();
        dashboard.path("panels").forEach(p -> p.path("targets").forEach(t -> {
            String expr = t.path("expr").asText();
            for (Map.Entry<String, String> v : GRAFANA_VARIABLES.entrySet()) {
                expr = expr.replace(v.getKey(), v.getValue());
            }
            out.add(expr);
        }));
        assertThat(out).as("dashboard targets").hasSizeGreaterThanOrEqualTo(12);
        return out;
    }

    @SuppressWarnings("unchecked")
    static List<String> ruleExpressions() throws Exception {
        Map<String, Object> rules = new Yaml(new SafeConstructor(new LoaderOptions()))
            .load(Files.readString(ROOT.resolve("deploy/prometheus/handoff-rules.yml")));
        List<String> out = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) rules.get("groups")) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                out.add((String) rule.get("expr"));
            }
        }
        return out;
    }
}
