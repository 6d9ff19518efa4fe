package dev.handoff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.testkit.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What an operator sees on the terminal when an operator verb cannot reach Kafka (or the producer): the verb
 * runs as {@code bin/handoff} does, in a JVM of its own with the shipped logging configuration, and
 * everything it writes to stdout and stderr is captured.
 */
class QuietOperatorVerbsIT {
    private static final String UNREACHABLE = "127.0.0.1:1";

    @TempDir
    Path tmp;

    static Stream<Arguments> operatorVerbs() {
        return Stream.of(
            Arguments.of("status", List.of("status", "--bootstrap-servers", UNREACHABLE, "--kafka-timeout", "2s")),
            Arguments.of("init", List.of("init", "--bootstrap-servers", UNREACHABLE, "--kafka-timeout", "2s")),
            Arguments.of("pause", List.of("pause", "127.0.0.1:9", "--bootstrap-servers", UNREACHABLE, "--kafka-timeout", "2s")),
            Arguments.of("list", List.of("parked", "list", "--bootstrap-servers", UNREACHABLE, "--kafka-timeout", "2s")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operatorVerbs")
    void shouldPrintOnlyItsOwnLineWhenTheBrokerIsUnreachable(String verb, List<String> args) throws Exception {
        // When the verb runs against a broker that is not there
        List<String> output = run(args);

        // Then its own one-line failure is all there is: none of the Kafka client's connection warnings
        assertThat(output).singleElement().asString().startsWith(verb + ": ").contains(UNREACHABLE);
    }

    @Test
    void shouldPrintOnlyItsOwnLineWhenTheProducerIsUnreachable() throws Exception {
        // Given a part directory
        Path part = Files.createDirectories(tmp.resolve("00000000000000aa").resolve("core"));
        Files.writeString(part.resolve("data.bin"), "x");

        // When it is enqueued through a producer that is not there
        List<String> output = run(List.of("enqueue", "--part-dir", part.getParent().toString(), "--liaison", "l",
            "--group", "g", "--shard", "0", "--nodes", "127.0.0.1:9", "--producer", UNREACHABLE, "--timeout", "2s"));

        // Then one line says so
        assertThat(output).singleElement().asString().startsWith("enqueue: ").contains(UNREACHABLE);
    }

    @Test
    void shouldShowTheKafkaClientLogAndTheStackTraceWhenVerbose() throws Exception {
        // When status runs against a broker that is not there, with --verbose
        List<String> output = run(List.of("status", "--bootstrap-servers", UNREACHABLE, "--kafka-timeout", "2s", "--verbose"));

        // Then the client's warnings and the stack trace are there besides the verb's own line
        assertThat(output).anySatisfy(line -> assertThat(line).contains("WARN").contains("Connection to node -1"));
        assertThat(output).anySatisfy(line -> assertThat(line).startsWith("\tat "));
        assertThat(output).anySatisfy(line -> assertThat(line).startsWith("status: cannot read topic handoff.node-status"));
    }

    /** Runs {@code bin/handoff args} and returns every line it wrote; it must fail with exit code 1. */
    private List<String> run(List<String> args) throws Exception {
        Path log = tmp.resolve("verb-" + System.nanoTime() + ".log");
        List<String> jvm = new ArrayList<>(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1",
            // the shipped configuration, not the test class path's logback-test.xml
            "-Dlogback.configurationFile=logback.xml"));
        try (ChildJvm child = new ChildJvm(log, jvm, Main.class, args.toArray(String[]::new))) {
            assertThat(child.waitFor(60)).as("exit code of %s", args).isEqualTo(1);
            return child.lines();
        }
    }
}
