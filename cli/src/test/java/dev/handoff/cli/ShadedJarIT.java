package dev.handoff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shaded CLI jar (what {@code bin/handoff} and the container image run) ships the embedded broker but no test
 * code: no Testcontainers, no test kit (its throw-away certificate authority included), no JUnit, no key material.
 * Failsafe runs after {@code package}, so this reads the jar the build just made.
 */
class ShadedJarIT {
    private static List<String> entries;

    @BeforeAll
    static void readJar() throws IOException {
        String property = System.getProperty("handoff.shadedJar");
        assertThat(property).as("system property handoff.shadedJar (set by cli/pom.xml)").isNotBlank();
        Path jar = Path.of(property);
        assertThat(jar).as("the shaded jar; run the package phase first").isRegularFile();
        try (JarFile file = new JarFile(jar.toFile())) {
            entries = Collections.list(file.entries()).stream().map(ZipEntry::getName).toList();
        }
    }

    @Test
    void shouldShipTheEmbeddedBrokerAndTheLauncher() {
        assertThat(entries).contains("dev/handoff/cli/Main.class",
            "dev/handoff/embedded/EmbeddedKafkaCluster.class",
            "org/apache/kafka/common/test/KafkaClusterTestKit.class");
    }

    @Test
    void shouldShipNoTestCode() {
        assertThat(entries).noneMatch(e -> e.startsWith("org/testcontainers/"))
            .noneMatch(e -> e.startsWith("dev/handoff/testkit/"))
            .noneMatch(e -> e.startsWith("org/junit/"));
    }

    @Test
    void shouldShipNoCertificatesOrKeys() {
        assertThat(entries).noneMatch(e -> e.matches("(?i).*\\.(pem|key|crt|der|p12|pfx|jks)$"));
    }

    @Test
    void shouldBeTheJarTheBuildJustMade() throws IOException {
        // a stale jar from before a dependency change would prove nothing
        Path jar = Path.of(System.getProperty("handoff.shadedJar"));
        Path classes = Path.of(System.getProperty("handoff.mainClasses"));
        assertThat(Files.getLastModifiedTime(jar)).isGreaterThanOrEqualTo(
            Files.getLastModifiedTime(classes.resolve("dev/handoff/cli/Main.class")));
    }
}
