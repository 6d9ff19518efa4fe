package dev.handoff.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.testkit.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A role in its own JVM with {@code --log-format json} (and with {@code HANDOFF_LOG_FORMAT=json}): every line it
 * writes to stderr is one JSON object, and the key-values it logs are fields of it.
 */
class JsonLogsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void shouldWriteOneJsonObjectPerLineWithTheKeyValuesAsFields() throws Exception {
        List<JsonNode> lines = runDataNode(List.of("--log-format=json"), Map.of());
        JsonNode started = find(lines, "data node started");
        assertThat(started.path("level").asText()).isEqualTo("INFO");
        assertThat(started.path("loggerName").asText()).isEqualTo("dev.handoff.datanode.DataNode");
        assertThat(started.path("timestamp").asLong()).isPositive();
        assertThat(keyValues(started)).containsKeys("port", "dir").containsEntry("dir", tmp.resolve("dn").toString());
        assertThat(find(lines, "data node stopped")).isNotNull();
    }

    @Test
    void shouldTakeTheFormatFromHandoffLogFormat() throws Exception {
        List<JsonNode> lines = runDataNode(List.of(), Map.of("HANDOFF_LOG_FORMAT", "json"));
        assertThat(keyValues(find(lines, "data node started"))).containsKey("port");
    }

    /** Starts {@code handoff datanode}, waits until it runs, stops it with SIGTERM; its stderr lines, each parsed. */
    private List<JsonNode> runDataNode(List<String> options, Map<String, String> env) throws Exception {
        int port = FreePorts.take(1)[0];
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            // the shipped logback.xml (logs on stderr), not the test configuration on this class path
            "-Dlogback.configurationFile=" + Path.of(System.getProperty("handoff.mainClasses"), "logback.xml"),
            "-cp", System.getProperty("java.class.path"), Main.class.getName(), "datanode",
            "--listen=localhost:" + port, "--dir=" + tmp.resolve("dn")));
        command.addAll(options);
        Path err = tmp.resolve("stderr.log");
        Path out = tmp.resolve("stdout.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(err.toFile()).redirectOutput(out.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        try {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(process.isAlive()).as("exited: %s", Files.readString(err)).isTrue();
                assertThat(Files.readString(err)).contains("data node started");
                // the launcher's own ready line (stdout, plain text), printed once the role runs until stopped
                assertThat(Files.readString(out)).contains("datanode: serving");
            });
        } finally {
            process.destroy();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        List<JsonNode> parsed = new ArrayList<>();
        for (String line : Files.readAllLines(err)) {
            assertThat(line).as("a stderr line").startsWith("{").endsWith("}");
            parsed.add(JSON.readTree(line));
        }
        return parsed;
    }

    private static JsonNode find(List<JsonNode> lines, String message) {
        return lines.stream().filter(l -> l.path("formattedMessage").asText().equals(message)).findFirst()
            .orElseThrow(() -> new AssertionError("no line '" + message + "' in " + lines));
    }

    /** The fields that are not the encoder's own: the key-values the line was logged with. */
    private static Map<String, String> keyValues(JsonNode line) {
        Map<String, String> out = new HashMap<>();
        line.fields().forEachRemaining(e -> {
            if (!java.util.Set.of("timestamp", "level", "threadName", "loggerName", "formattedMessage", "throwable")
                .contains(e.getKey())) {
                out.put(e.getKey(), e.getValue().asText());
            }
        });
        return out;
    }
}
