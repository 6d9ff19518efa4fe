package dev.handoff.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handoff.testkit.FreePorts;
import dev.handoff.testkit.SharedKafkaTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code handoff run} with a data node on a real broker, {@code handoff enqueue} through its producer, and the
 * metrics endpoint of the running process.
 */
class RunAndEnqueueIT extends SharedKafkaTest {
    private static int freePort() throws Exception {
        return FreePorts.take(1)[0];
    }

    @Test
    void shouldRunEveryRoleEnqueueThroughTheProducerDeliverAndServeMetrics() throws Exception {
        // Given `handoff run` with one data node, serving enqueues under parts/ and metrics
        Path parts = Files.createDirectories(tmp.resolve("parts"));
        int producerPort = freePort();
        int enqueuePort = freePort();
        int metricsPort = freePort();
        BackgroundRun run = BackgroundRun.start(
            "--bootstrap-servers=" + KAFKA.bootstrapServers(), "--data-dir=" + tmp.resolve("data"),
            "--producer-port=" + producerPort, "--enqueue-port=" + enqueuePort, "--enqueue-root=" + parts, "--datanodes=1",
            "--metrics-port=" + metricsPort);
        try {
            run.awaitStarted(Duration.ofSeconds(60));
            Matcher node = Pattern.compile("data nodes (\\S+?),").matcher(run.output());
            assertThat(node.find()).as("run output: %s", run.output()).isTrue();
            String dataNode = node.group(1);

            // When a part with two types is enqueued through the running producer for that node
            Path part = parts.resolve("00000000000000ab");
            Files.createDirectories(part.resolve("core"));
            Files.createDirectories(part.resolve("sidx_trace_id"));
            Files.write(part.resolve("core/primary.bin"), new byte[] {1, 2, 3, 4});
            Files.writeString(part.resolve("core/metadata.json"), "{\"minTimestamp\":1}");
            Files.write(part.resolve("sidx_trace_id/data.bin"), new byte[] {9});
            CliRun enqueue = CliRun.of("enqueue", "--part-dir=" + part, "--liaison=liaison-0", "--group=g", "--shard=2",
                "--nodes=" + dataNode, "--producer=localhost:" + enqueuePort);

            // Then it is accepted, and the data node applies the whole bundle
            assertThat(enqueue.code()).as("enqueue output: %s", enqueue.out()).isZero();
            assertThat(enqueue.out()).contains("enqueued liaison-0/g/2/00000000000000ab");
            Path applied = tmp.resolve("data/datanode-1/applied.log");
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(Files.exists(applied) ? Files.readString(applied) : "").contains("liaison-0/g/2/00000000000000ab"));

            // And the process serves Prometheus text with handoff series, liveness and readiness
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + metricsPort + "/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("handoff_enqueue").contains("handoff_replay").contains("handoff_store_used_bytes");
            assertThat(http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + metricsPort + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).until(() -> http.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + metricsPort + "/readyz")).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
        } finally {
            run.requestStop();
        }
        assertThat(run.exitCode(Duration.ofSeconds(60))).isZero();
    }

    @Test
    void shouldRefuseAnEnqueueOutsideTheProducersRootOrWithBadInputAsUsageErrors() throws Exception {
        // A part id that is not 16 hex digits, and a node that is not host:port: exit 2, the field named
        Path part = Files.createDirectories(tmp.resolve("not-hex/core"));
        Files.write(part.resolve("primary.bin"), new byte[] {1});
        CliRun noId = CliRun.of("enqueue", "--part-dir=" + tmp.resolve("not-hex"), "--liaison=l", "--group=g", "--shard=0",
            "--nodes=a:1");
        assertThat(noId.code()).isEqualTo(2);
        assertThat(noId.err()).contains("--part-id");
        CliRun badNode = CliRun.of("enqueue", "--part-dir=" + tmp.resolve("not-hex"), "--part-id=00000000000000ff",
            "--liaison=l", "--group=g", "--shard=0", "--nodes=nope");
        assertThat(badNode.code()).isEqualTo(2);
        assertThat(badNode.err()).contains("--nodes").contains("host:port");
    }
}
