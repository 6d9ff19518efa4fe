package dev.handoff.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.datanode.DataNodeSettings;
import dev.handoff.producer.PartStoreServerSettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import picocli.CommandLine;

/**
 * Checks docker-compose.yml and the Dockerfile without Docker: every handoff container runs a real verb whose
 * options parse, dependencies exist, the broker matches the client version, and the image runs the shaded jar
 * as a non-root user. A renamed option breaks this test instead of a container at run time.
 *
 * <p>The compose file uses YAML merge keys ({@code <<: *handoff}), which Jackson's streaming YAML parser does
 * not resolve; SnakeYAML (the parser under jackson-dataformat-yaml) composes the document with merges applied,
 * and Jackson's tree model is used to read it.
 */
class ComposeFileTest {

    private static final String HANDOFF_BUILD = ".";
    private static Path root;
    private static JsonNode compose;
    private static JsonNode services;

    @BeforeAll
    static void load() throws IOException {
        root = RepositoryRoot.find();
        try (Reader reader = Files.newBufferedReader(root.resolve("docker-compose.yml"))) {
            Object document = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
            compose = new ObjectMapper().valueToTree(document);
        }
        services = compose.path("services");
    }

    @Test
    void shouldRunOnlyRealVerbsWhoseOptionsParse() {
        // Given every service built from this repository's Dockerfile
        Map<String, List<String>> commands = handoffCommands();
        assertThat(commands).containsKeys("init", "producer", "topology", "replayer-1", "replayer-2",
            "datanode-1", "datanode-2");
        Set<String> verbs = Main.commandLine().getSubcommands().keySet();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : commands.entrySet()) {
            String service = e.getKey();
            List<String> args = e.getValue();
            // When its command is parsed by the real command line
            if (args.isEmpty() || !verbs.contains(args.get(0))) {
                problems.add("service '" + service + "': command " + args + " does not start with a verb of " + verbs);
                continue;
            }
            Set<String> missing = LauncherArgs.missingOptions(args);
            if (!missing.isEmpty()) {
                problems.add("service '" + service + "': verb '" + args.get(0) + "' has no option " + missing
                    + "; docker-compose.yml needs it");
                continue;
            }
            try {
                Main.commandLine().parseArgs(args.toArray(String[]::new));
            } catch (CommandLine.ParameterException ex) {
                problems.add("service '" + service + "': `handoff " + String.join(" ", args) + "` does not parse: "
                    + ex.getMessage());
            }
        }
        // Then nothing is wrong
        assertThat(problems).as("handoff commands in docker-compose.yml").isEmpty();
    }

    @Test
    void shouldSetOnlyEnvironmentVariablesThatNameAnOption() {
        // Given every HANDOFF_* variable the handoff containers get
        Set<String> known = new TreeSet<>();
        LauncherArgs.collectVariables(Main.commandLine(), known);
        List<String> unknown = new ArrayList<>();
        for (String service : handoffCommands().keySet()) {
            for (String variable : environment(services.get(service)).keySet()) {
                // Then each one is the environment form of some long option (else it is silently ignored)
                if (variable.startsWith("HANDOFF_") && !known.contains(variable)) {
                    unknown.add(service + ": " + variable);
                }
            }
        }
        assertThat(unknown).as("HANDOFF_* variables that match no option").isEmpty();
    }

    @Test
    void shouldPointEveryDependencyAtAServiceAndStartRolesAfterInit() {
        // Given the services and their depends_on
        Set<String> names = fieldNames(services);
        for (String service : names) {
            for (String target : dependencies(services.get(service)).keySet()) {
                // Then every dependency exists
                assertThat(names).as("depends_on of " + service).contains(target);
            }
        }
        // And init waits for a healthy broker, every role for init to finish successfully
        assertThat(dependencies(services.get("init"))).containsEntry("kafka", "service_healthy");
        for (String service : handoffCommands().keySet()) {
            if (!service.equals("init")) {
                assertThat(dependencies(services.get(service))).as(service)
                    .containsEntry("init", "service_completed_successfully");
            }
        }
    }

    @Test
    void shouldRunTheBrokerVersionOfTheClientsWithoutAutoCreation() {
        // Given the kafka service
        JsonNode kafka = services.path("kafka");
        Map<String, String> env = environment(kafka);
        // Then its image is the client version, in KRaft mode, with topic auto-creation off
        assertThat(kafka.path("image").asText()).isEqualTo("apache/kafka:" + AppInfoParser.getVersion());
        assertThat(env).containsEntry("KAFKA_PROCESS_ROLES", "broker,controller")
            .containsEntry("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
            .containsEntry("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
            .containsEntry("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
            .containsEntry("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
            .containsKeys("KAFKA_NODE_ID", "KAFKA_CONTROLLER_QUORUM_VOTERS");
        assertThat(env.get("KAFKA_ADVERTISED_LISTENERS")).contains("PLAINTEXT://kafka:9092");
        assertThat(kafka.path("healthcheck").path("test").toString()).contains("kafka-broker-api-versions.sh");
        // And every handoff container finds it in the network
        assertThat(environment(services.get("init"))).containsEntry("HANDOFF_BOOTSTRAP_SERVERS", "kafka:9092");
    }

    @Test
    void shouldKeepEveryRoleDirectoryOnANamedVolume() {
        // Given the directory options of producer, topology and data nodes
        Map<String, String> dirOption = Map.of("producer", "--store-dir", "topology", "--state-dir", "datanode", "--dir",
            "banyandb-node", "--dir");
        Set<String> declared = fieldNames(compose.path("volumes"));
        int checked = 0;
        for (Map.Entry<String, List<String>> e : handoffCommands().entrySet()) {
            String option = dirOption.get(e.getValue().get(0));
            if (option == null) {
                continue;
            }
            String dir = optionValue(e.getValue(), option);
            assertThat(dir).as(e.getKey() + " " + option).isNotNull();
            // Then the directory lies on a named volume declared at the top level
            boolean onVolume = false;
            for (JsonNode mount : services.get(e.getKey()).path("volumes")) {
                String[] parts = mount.asText().split(":");
                if (parts.length >= 2 && declared.contains(parts[0]) && (dir + "/").startsWith(stripSlash(parts[1]) + "/")) {
                    onVolume = true;
                }
            }
            assertThat(onVolume).as(e.getKey() + ": " + option + " " + dir + " on a named volume").isTrue();
            checked++;
        }
        assertThat(checked).as("producer, topology and two data nodes; the banyandb profile's producer, topology, receiver")
            .isEqualTo(7);
    }

    @Test
    void shouldRunTheBanyanDbProfileAsAPipelineOfItsOwnThatDeliversToBanyanDbReceivers() {
        // Given the services of the banyandb profile
        Map<String, List<String>> profile = new LinkedHashMap<>();
        handoffCommands().forEach((name, args) -> {
            if (services.get(name).path("profiles").toString().contains("\"banyandb\"")) {
                profile.put(name, args);
            }
        });
        assertThat(profile.values()).extracting(args -> args.get(0))
            .contains("init", "producer", "topology", "replayer", "banyandb-node");
        // Then every role but the receiver uses one topic prefix of its own, not the default pipeline's
        Set<String> prefixes = new TreeSet<>();
        profile.values().stream().filter(args -> !args.get(0).equals("banyandb-node"))
            .forEach(args -> prefixes.add(String.valueOf(optionValue(args, "--topic-prefix"))));
        assertThat(prefixes).singleElement().isNotEqualTo(dev.handoff.protocol.Topics.DEFAULT_PREFIX).isNotEqualTo("null");
        // And its replayers speak BanyanDB's protocol, read its own topology's group, and the producer's simulated
        // liaison writes BanyanDB parts for nodes that are BanyanDB receivers of the profile
        List<String> topology = profile.values().stream().filter(a -> a.get(0).equals("topology")).findFirst().orElseThrow();
        for (List<String> args : profile.values()) {
            if (args.get(0).equals("replayer")) {
                assertThat(optionValue(args, "--sink")).isEqualTo("banyandb");
                assertThat(optionValue(args, "--topology-application-id")).isEqualTo(optionValue(topology, "--application-id"));
            }
        }
        List<String> producer = profile.values().stream().filter(a -> a.get(0).equals("producer")).findFirst().orElseThrow();
        assertThat(optionValue(producer, "--simulate-layout")).isEqualTo("banyandb");
        for (String node : optionValue(producer, "--nodes").split(",")) {
            String service = node.substring(0, node.indexOf(':'));
            assertThat(profile).as(node).containsKey(service);
            assertThat(profile.get(service).get(0)).isEqualTo("banyandb-node");
            assertThat(optionValue(profile.get(service), "--listen")).endsWith(node.substring(node.indexOf(':')));
        }
    }

    @Test
    void shouldAllowScalingReplayersAndUseTheComposeSpec() {
        // Then there is no obsolete version key, and replayers can be scaled (no fixed name, no fixed host port)
        assertThat(compose.has("version")).as("`version:` is obsolete in the Compose spec").isFalse();
        for (String replayer : List.of("replayer-1", "replayer-2")) {
            assertThat(services.path(replayer).has("container_name")).as(replayer).isFalse();
            for (JsonNode port : services.path(replayer).path("ports")) {
                assertThat(port.asText()).as(replayer + " port").doesNotContain(":");
            }
        }
    }

    @Test
    void shouldRunTheShadedJarAsANonRootUserInTheDockerfile() throws IOException {
        // Given the Dockerfile's instructions, split into stages
        List<String> lines = instructions(Files.readString(root.resolve("Dockerfile")));
        int runtimeStart = lastIndexStartingWith(lines, "FROM ");
        List<String> build = lines.subList(0, runtimeStart);
        List<String> runtime = lines.subList(runtimeStart, lines.size());
        // Then the build stage packages the CLI with the wrapper
        assertThat(build).anySatisfy(l -> assertThat(l).startsWith("RUN").contains("./mvnw")
            .contains("package").contains("-pl cli -am").contains("handoff-cli-*-all.jar"));
        // And the runtime stage is a JRE 17, a non-root user, the jar alone, and the verb as arguments
        assertThat(runtime.get(0)).startsWith("FROM eclipse-temurin:17-jre");
        String user = lastStartingWith(runtime, "USER ").substring("USER ".length()).trim().split(":")[0];
        assertThat(user).isNotIn("root", "0", "");
        assertThat(runtime).anySatisfy(l -> assertThat(l).startsWith("COPY --from=build").endsWith("/app/handoff.jar"));
        assertThat(jsonArray(lastStartingWith(runtime, "ENTRYPOINT "))).containsExactly("java", "-jar", "/app/handoff.jar");
        assertThat(jsonArray(lastStartingWith(runtime, "CMD "))).containsExactly("--help");
        assertThat(lastStartingWith(runtime, "EXPOSE ").split("\\s+")).contains(
            String.valueOf(PartStoreServerSettings.DEFAULT_PORT), String.valueOf(DataNodeSettings.DEFAULT_PORT), "9400");
    }

    // ---- compose helpers ----------------------------------------------------------------------------

    /** Services built from this repository (the x-handoff block), in file order, with their argument lists. */
    private static Map<String, List<String>> handoffCommands() {
        Map<String, List<String>> commands = new LinkedHashMap<>();
        for (String name : fieldNames(services)) {
            JsonNode service = services.get(name);
            JsonNode build = service.path("build");
            String context = build.isTextual() ? build.asText() : build.path("context").asText(null);
            if (HANDOFF_BUILD.equals(context)) {
                commands.put(name, arguments(service.path("command")));
            }
        }
        return commands;
    }

    private static List<String> arguments(JsonNode command) {
        List<String> args = new ArrayList<>();
        if (command.isTextual()) {
            args.addAll(Arrays.asList(command.asText().trim().split("\\s+")));
        } else {
            command.forEach(a -> args.add(a.asText()));
        }
        return args;
    }

    private static String optionValue(List<String> args, String option) {
        for (int i = 1; i < args.size(); i++) {
            if (args.get(i).startsWith(option + "=")) {
                return args.get(i).substring(option.length() + 1);
            }
            if (args.get(i).equals(option) && i + 1 < args.size()) {
                return args.get(i + 1);
            }
        }
        return null;
    }

    /** The environment in either Compose form: a map, or a list of {@code KEY=VALUE}. */
    private static Map<String, String> environment(JsonNode service) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode node = service.path("environment");
        if (node.isArray()) {
            node.forEach(e -> {
                String[] kv = e.asText().split("=", 2);
                env.put(kv[0], kv.length > 1 ? kv[1] : "");
            });
        } else {
            node.fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        }
        return env;
    }

    /** depends_on in either Compose form: target to condition ({@code service_started} for the list form). */
    private static Map<String, String> dependencies(JsonNode service) {
        Map<String, String> deps = new LinkedHashMap<>();
        JsonNode node = service.path("depends_on");
        if (node.isArray()) {
            node.forEach(d -> deps.put(d.asText(), "service_started"));
        } else {
            node.fields().forEachRemaining(e -> deps.put(e.getKey(),
                e.getValue().path("condition").asText("service_started")));
        }
        return deps;
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new java.util.LinkedHashSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static String stripSlash(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    // ---- Dockerfile helpers -------------------------------------------------------------------------

    /** Instructions with comments dropped and backslash continuations joined, one per element. */
    private static List<String> instructions(String dockerfile) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : dockerfile.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("#") || (line.isEmpty() && current.length() == 0)) {
                continue;
            }
            boolean continues = line.endsWith("\\");
            current.append(continues ? line.substring(0, line.length() - 1).strip() : line).append(' ');
            if (!continues) {
                out.add(current.toString().replaceAll("\\s+", " ").trim());
                current.setLength(0);
            }
        }
        return out;
    }

    private static int lastIndexStartingWith(List<String> lines, String prefix) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return fail("no " + prefix.trim() + " in the Dockerfile");
    }

    private static String lastStartingWith(List<String> lines, String prefix) {
        return lines.get(lastIndexStartingWith(lines, prefix));
    }

    private static List<String> jsonArray(String instruction) {
        String json = instruction.substring(instruction.indexOf(' ') + 1);
        try {
            List<String> values = new ArrayList<>();
            new ObjectMapper().readTree(json).forEach(v -> values.add(v.asText()));
            return values;
        } catch (IOException e) {
            return fail("not the exec (JSON array) form: " + instruction);
        }
    }
}
