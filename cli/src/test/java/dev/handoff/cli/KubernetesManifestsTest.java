package dev.handoff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import picocli.CommandLine;

/**
 * Checks deploy/k8s without a cluster, as {@code ComposeFileTest} does for Compose: every handoff container runs a
 * real verb whose args parse with the launcher's own parser and whose HANDOFF_* variables name real options; the
 * producer sidecar shares the liaison's volume (hard links), the topology keeps its state on a claim, KEDA scales
 * the replayer Deployment on the replayer group, the ServiceMonitor finds every metrics port, and the Kafka client
 * secret holds what --kafka-config and KEDA read.
 */
class KubernetesManifestsTest {
    private static final Path DIR = RepositoryRoot.find().resolve("deploy/k8s");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<JsonNode> OBJECTS = new ArrayList<>();

    @BeforeAll
    static void load() throws IOException {
        JsonNode kustomization = yaml(DIR.resolve("kustomization.yaml")).get(0);
        for (JsonNode resource : kustomization.path("resources")) {
            OBJECTS.addAll(yaml(DIR.resolve(resource.asText())));
        }
    }

    private static List<JsonNode> yaml(Path file) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(Files.readString(file))) {
            if (doc != null) {
                docs.add(JSON.valueToTree(doc));
            }
        }
        return docs;
    }

    @Test
    void shouldListEveryManifestInTheKustomizationAndNameEveryObject() throws IOException {
        Set<String> listed = new TreeSet<>();
        yaml(DIR.resolve("kustomization.yaml")).get(0).path("resources").forEach(r -> listed.add(r.asText()));
        Set<String> files = new TreeSet<>();
        try (Stream<Path> s = Files.list(DIR)) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml"))
                .forEach(files::add);
        }
        assertThat(listed).isEqualTo(files);
        for (JsonNode o : OBJECTS) {
            assertThat(o.path("apiVersion").asText()).as("apiVersion of %s", o).isNotEmpty();
            assertThat(o.path("kind").asText()).as("kind of %s", o).isNotEmpty();
            assertThat(o.path("metadata").path("name").asText()).as("name of %s", o).isNotEmpty();
        }
    }

    @Test
    void shouldRunOnlyRealVerbsWhoseArgsParseAndOnlyVariablesThatNameOptions() {
        Set<String> variables = new TreeSet<>();
        LauncherArgs.collectVariables(Main.commandLine(), variables);
        Map<String, List<String>> commands = handoffContainers();
        assertThat(commands.keySet()).contains("handoff-init/init", "liaison/handoff-producer", "handoff-topology/topology",
            "handoff-replayer/replayer");
        Set<String> verbs = Main.commandLine().getSubcommands().keySet();
        List<String> problems = new ArrayList<>();
        commands.forEach((container, args) -> {
            if (!verbs.contains(args.get(0))) {
                problems.add(container + ": " + args + " does not start with a verb");
                return;
            }
            Set<String> missing = LauncherArgs.missingOptions(args);
            if (!missing.isEmpty()) {
                problems.add(container + ": verb " + args.get(0) + " has no option " + missing);
                return;
            }
            try {
                Main.commandLine().parseArgs(args.toArray(String[]::new));
            } catch (CommandLine.ParameterException e) {
                problems.add(container + ": `handoff " + String.join(" ", args) + "` does not parse: " + e.getMessage());
            }
        });
        for (JsonNode pod : podSpecs().values()) {
            for (JsonNode c : pod.path("containers")) {
                for (String variable : environment(c).keySet()) {
                    if (variable.startsWith("HANDOFF_") && !variables.contains(variable)) {
                        problems.add(c.path("name").asText() + ": " + variable + " names no option");
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void shouldShareTheLiaisonsVolumeWithTheProducerSidecarSoPartsAreHardLinked() {
        JsonNode liaison = object("StatefulSet", "liaison");
        JsonNode pod = liaison.path("spec").path("template").path("spec");
        JsonNode producer = container(pod, "handoff-producer");
        List<String> args = arguments(producer);
        JsonNode other = null;
        for (JsonNode c : pod.path("containers")) {
            if (!c.path("name").asText().equals("handoff-producer")) {
                other = c;
            }
        }
        assertThat(other).as("the liaison container beside the sidecar").isNotNull();
        String shared = mountOf(producer, "data");
        assertThat(shared).isEqualTo(mountOf(other, "data"));
        assertThat(value(args, "--store-dir")).startsWith(shared + "/");
        assertThat(value(args, "--enqueue-root")).startsWith(shared);
        assertThat(value(args, "--advertised-address")).isEqualTo("$(POD_IP):17913");
        assertThat(claims(liaison)).contains("data");
    }

    @Test
    void shouldKeepTheTopologyStateOnAClaimAndRunReplayersAsADeploymentWithoutFixedIds() {
        JsonNode topology = object("StatefulSet", "handoff-topology");
        JsonNode container = container(topology.path("spec").path("template").path("spec"), "topology");
        assertThat(value(arguments(container), "--state-dir")).startsWith(mountOf(container, "state") + "/");
        assertThat(claims(topology)).contains("state");
        JsonNode replayer = container(object("Deployment", "handoff-replayer").path("spec").path("template").path("spec"), "replayer");
        assertThat(value(arguments(replayer), "--instance-id")).isNull();
    }

    @Test
    void shouldScaleReplayersWithKedaOnTheReplayerGroupsLag() {
        JsonNode scaled = object("ScaledObject", "handoff-replayer");
        assertThat(scaled.path("apiVersion").asText()).isEqualTo("keda.sh/v1alpha1");
        assertThat(scaled.path("spec").path("scaleTargetRef").path("name").asText()).isEqualTo("handoff-replayer");
        JsonNode trigger = scaled.path("spec").path("triggers").get(0);
        assertThat(trigger.path("type").asText()).isEqualTo("kafka");
        JsonNode replayer = container(object("Deployment", "handoff-replayer").path("spec").path("template").path("spec"), "replayer");
        assertThat(trigger.path("metadata").path("consumerGroup").asText()).isEqualTo(value(arguments(replayer), "--group-id"));
        assertThat(trigger.path("metadata").path("bootstrapServers").asText())
            .isEqualTo(object("ConfigMap", "handoff-config").path("data").path("HANDOFF_BOOTSTRAP_SERVERS").asText());
        assertThat(scaled.path("spec").path("maxReplicaCount").asInt()).isPositive();
        // the TriggerAuthentication reads keys the client secret has
        JsonNode secret = object("Secret", "handoff-kafka-client");
        String auth = trigger.path("authenticationRef").path("name").asText();
        for (JsonNode ref : object("TriggerAuthentication", auth).path("spec").path("secretTargetRef")) {
            assertThat(ref.path("name").asText()).isEqualTo("handoff-kafka-client");
            assertThat(secretKeys(secret)).contains(ref.path("key").asText());
        }
    }

    @Test
    void shouldMountTheKafkaClientSecretWhereKafkaConfigPointsInEveryHandoffContainer() {
        String config = object("ConfigMap", "handoff-config").path("data").path("HANDOFF_KAFKA_CONFIG").asText();
        Path file = Path.of(config);
        assertThat(secretKeys(object("Secret", "handoff-kafka-client"))).contains(file.getFileName().toString(), "truststore.p12");
        for (Map.Entry<String, JsonNode> pod : podSpecs().entrySet()) {
            Map<String, String> secretVolumes = new LinkedHashMap<>();
            pod.getValue().path("volumes").forEach(v -> {
                if (v.has("secret")) {
                    secretVolumes.put(v.path("name").asText(), v.path("secret").path("secretName").asText());
                }
            });
            for (JsonNode c : pod.getValue().path("containers")) {
                if (!isHandoff(c)) {
                    continue;
                }
                boolean mounted = false;
                for (JsonNode m : c.path("volumeMounts")) {
                    if ("handoff-kafka-client".equals(secretVolumes.get(m.path("name").asText()))
                        && m.path("mountPath").asText().equals(file.getParent().toString()) && m.path("readOnly").asBoolean()) {
                        mounted = true;
                    }
                }
                assertThat(mounted).as("%s/%s mounts the client secret read-only at %s", pod.getKey(),
                    c.path("name").asText(), file.getParent()).isTrue();
            }
        }
    }

    @Test
    void shouldScrapeEveryRolesMetricsPortThroughTheServiceMonitor() {
        JsonNode monitor = object("ServiceMonitor", "handoff");
        JsonNode selector = monitor.path("spec").path("selector").path("matchLabels");
        String port = monitor.path("spec").path("endpoints").get(0).path("port").asText();
        Set<String> scraped = new TreeSet<>();
        for (JsonNode o : OBJECTS) {
            if (o.path("kind").asText().equals("Service") && matches(o.path("metadata").path("labels"), selector)) {
                o.path("spec").path("ports").forEach(p -> {
                    if (p.path("name").asText().equals(port)) {
                        scraped.add(o.path("metadata").path("labels").path(monitor.path("spec").path("jobLabel").asText()).asText());
                    }
                });
            }
        }
        // Then every role's job is named handoff-<role>, as the alert rules' up{job=~"handoff.*"} expects
        assertThat(scraped).containsExactlyInAnyOrder("handoff-producer", "handoff-topology", "handoff-replayer");
        for (JsonNode pod : podSpecs().values()) {
            for (JsonNode c : pod.path("containers")) {
                if (isHandoff(c) && !arguments(c).get(0).equals("init")) {
                    assertThat(value(arguments(c), "--metrics-port")).as(c.path("name").asText()).isEqualTo("9400");
                }
            }
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private static JsonNode object(String kind, String name) {
        return OBJECTS.stream().filter(o -> o.path("kind").asText().equals(kind) && o.path("metadata").path("name").asText().equals(name))
            .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in deploy/k8s"));
    }

    /** Every pod spec of a workload, by workload name. */
    private static Map<String, JsonNode> podSpecs() {
        Map<String, JsonNode> pods = new LinkedHashMap<>();
        for (JsonNode o : OBJECTS) {
            JsonNode pod = o.path("spec").path("template").path("spec");
            if (!pod.isMissingNode()) {
                pods.put(o.path("metadata").path("name").asText(), pod);
            }
        }
        return pods;
    }

    private static boolean isHandoff(JsonNode container) {
        return container.path("image").asText().equals("handoff");
    }

    /** The args of every container of the handoff image, by {@code workload/container}. */
    private static Map<String, List<String>> handoffContainers() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        podSpecs().forEach((name, pod) -> pod.path("containers").forEach(c -> {
            if (isHandoff(c)) {
                out.put(name + "/" + c.path("name").asText(), arguments(c));
            }
        }));
        return out;
    }

    private static JsonNode container(JsonNode pod, String name) {
        for (JsonNode c : pod.path("containers")) {
            if (c.path("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no container " + name);
    }

    private static List<String> arguments(JsonNode container) {
        List<String> args = new ArrayList<>();
        container.path("args").forEach(a -> args.add(a.asText()));
        return args;
    }

    private static String value(List<String> args, String option) {
        for (String a : args) {
            if (a.startsWith(option + "=")) {
                return a.substring(option.length() + 1);
            }
        }
        return null;
    }

    private static String mountOf(JsonNode container, String volume) {
        for (JsonNode m : container.path("volumeMounts")) {
            if (m.path("name").asText().equals(volume)) {
                return m.path("mountPath").asText();
            }
        }
        throw new AssertionError(container.path("name").asText() + " does not mount " + volume);
    }

    private static Set<String> claims(JsonNode statefulSet) {
        Set<String> names = new TreeSet<>();
        statefulSet.path("spec").path("volumeClaimTemplates").forEach(t -> names.add(t.path("metadata").path("name").asText()));
        return names;
    }

    /** A container's env and the data keys of the ConfigMaps it takes with envFrom. */
    private static Map<String, String> environment(JsonNode container) {
        Map<String, String> env = new LinkedHashMap<>();
        container.path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
        container.path("envFrom").forEach(from -> {
            String map = from.path("configMapRef").path("name").asText(null);
            if (map != null) {
                object("ConfigMap", map).path("data").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
            }
        });
        return env;
    }

    private static Set<String> secretKeys(JsonNode secret) {
        Set<String> keys = new TreeSet<>();
        secret.path("stringData").fieldNames().forEachRemaining(keys::add);
        secret.path("data").fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    private static boolean matches(JsonNode labels, JsonNode selector) {
        for (var it = selector.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().asText().equals(labels.path(e.getKey()).asText())) {
                return false;
            }
        }
        return true;
    }
}
