package dev.handoff.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handoff.testkit.FreePorts;
import dev.handoff.testkit.KafkaClusterExtension;
import dev.handoff.testkit.SharedKafkaTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each role verb starts against a real broker, says it is ready, and stops cleanly with exit 0. */
class RoleVerbsIT extends SharedKafkaTest {
    private static RunningRole start(String... args) {
        return RunningRole.start(args);
    }

    private static int freePort() throws Exception {
        return FreePorts.take(1)[0];
    }

    @Test
    void shouldStartEveryRoleVerbAndStopItWithExitZero() throws Exception {
        // Given one process per role, as an operator would start them
        String prefix = KafkaClusterExtension.unique("roles");
        String bootstrap = "--bootstrap-servers=" + KAFKA.bootstrapServers();
        int dataNodePort = freePort();
        List<RunningRole> roles = new ArrayList<>();
        roles.add(start("datanode", "--listen=localhost:" + dataNodePort, "--dir=" + tmp.resolve("dn")));
        roles.add(start("topology", bootstrap, "--topic-prefix=" + prefix,
            "--application-id=" + KafkaClusterExtension.unique("topology"), "--state-dir=" + tmp.resolve("state")));
        roles.add(start("replayer", bootstrap, "--topic-prefix=" + prefix, "--group-id=" + KafkaClusterExtension.unique("g")));
        roles.add(start("producer", bootstrap, "--topic-prefix=" + prefix, "--partitions=1", "--store-dir=" + tmp.resolve("store"),
            "--liaison=liaison-x", "--listen=localhost:" + freePort(), "--nodes=localhost:" + dataNodePort));
        try {
            // When each has started
            for (RunningRole r : roles) {
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    assertThat(r.exit()).as("exited early: %s", r.out()).isNotDone();
                    assertThat(r.out().toString()).containsAnyOf("serving", "running as", "in group");
                });
            }
        } finally {
            // Then each stops on request with exit code 0
            for (RunningRole r : roles) {
                r.runner().requestStop();
            }
        }
        for (RunningRole r : roles) {
            assertThat(r.exit().get()).as("exit of: %s", r.out()).isZero();
            assertThat(r.out().toString()).contains("stopping");
        }
    }

    @Test
    void shouldDescribeTheTopologyWithoutKafka() {
        CliRun r = CliRun.of("topology", "--describe");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("node-status").contains("Sub-topology");
    }

    @Test
    void shouldRefuseARoleWithoutItsRequiredOptions() {
        for (String verb : List.of("producer", "datanode")) {
            CliRun r = CliRun.of(verb);
            assertThat(r.code()).as(verb).isEqualTo(2);
            assertThat(r.err()).as(verb).contains("Missing required option");
        }
    }
}
