package dev.handoff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** Every {@code --option} that README.md and docs/*.md name is one some verb declares (the docs never drift). */
class DocumentedOptionsTest {
    /** An option, or an option prefix written {@code --client-tls-*} / {@code --tls-*}. */
    private static final Pattern OPTION = Pattern.compile("(?<![\\w-])--([a-z][a-z0-9]*(?:-[a-z0-9]+)*)(-\\*)?");
    /** Options of other tools the docs show, each with the tool it belongs to. */
    private static final Map<String, String> OTHER_TOOLS = Map.ofEntries(
        Map.entry("--bootstrap-server", "kafka-console-consumer / kafka-consumer-groups"),
        Map.entry("--topic", "kafka-console-consumer"),
        Map.entry("--from-beginning", "kafka-console-consumer"),
        Map.entry("--isolation-level", "kafka-console-consumer"),
        Map.entry("--property", "kafka-console-consumer"),
        Map.entry("--formatter-property", "kafka-console-consumer"),
        Map.entry("--group", "kafka-consumer-groups"),
        Map.entry("--build", "docker compose"),
        Map.entry("--rm", "docker run"),
        Map.entry("--scale", "docker compose"),
        Map.entry("--profile", "docker compose"),
        Map.entry("--mount", "docker run"),
        Map.entry("--quick", "benchmarks BenchMain"),
        Map.entry("--runs", "benchmarks BenchMain"),
        Map.entry("--no-write", "benchmarks BenchMain"),
        Map.entry("--events", "async-profiler (benchmarks)"),
        Map.entry("--stack-depth", "async-profiler (benchmarks)"),
        Map.entry("--kebab-case", "prose: the naming rule of the replayer's options"));

    @Test
    void shouldDeclareEveryOptionTheDocsName() throws IOException {
        // Given every option name of every verb
        Set<String> declared = declaredOptions();
        // When every option the docs name is looked up
        List<String> unknown = new ArrayList<>();
        for (Path doc : docs()) {
            List<String> lines = Files.readAllLines(doc);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = OPTION.matcher(lines.get(i));
                while (m.find()) {
                    String name = "--" + m.group(1);
                    boolean prefix = m.group(2) != null;
                    boolean known = prefix ? declared.stream().anyMatch(d -> d.startsWith(name + "-"))
                        : declared.contains(name) || OTHER_TOOLS.containsKey(name);
                    if (!known) {
                        unknown.add(doc.getFileName() + ":" + (i + 1) + " " + name + (prefix ? "-*" : ""));
                    }
                }
            }
        }
        // Then none is unknown (an option no verb has is a doc that drifted)
        assertThat(unknown).as("options named in the docs that no verb declares").isEmpty();
    }

    @Test
    void shouldFindAnOptionNoVerbHas() {
        Matcher m = OPTION.matcher("run `handoff topology --no-such-option 3` or `--client-tls-*`, not x--y");
        List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(m.group(1) + (m.group(2) == null ? "" : "*"));
        }
        assertThat(found).containsExactly("no-such-option", "client-tls*");
        assertThat(declaredOptions()).contains("--no-create-topics", "--create-topics", "--retry-budget")
            .doesNotContain("--no-such-option");
    }

    static Set<String> declaredOptions() {
        Set<String> names = new TreeSet<>();
        for (CommandLine verb : DefaultsTest.verbs(Main.commandLine())) {
            for (OptionSpec option : verb.getCommandSpec().options()) {
                for (String name : option.names()) {
                    names.add(name);
                    if (option.negatable() && name.startsWith("--")) {
                        names.add("--no-" + name.substring(2));
                    }
                }
            }
        }
        return names;
    }

    private static List<Path> docs() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        List<Path> docs = new ArrayList<>(List.of(root.resolve("README.md")));
        try (Stream<Path> files = Files.list(root.resolve("docs"))) {
            files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        assertThat(docs).hasSizeGreaterThan(5);
        return docs;
    }
}
