package dev.handoff.cli;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/** The checkout's root (the directory with docker-compose.yml and the Dockerfile), for tests of shipped files. */
final class RepositoryRoot {
    private RepositoryRoot() {
    }

    static Path find() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("docker-compose.yml")) && Files.isRegularFile(dir.resolve("Dockerfile"))) {
                return dir;
            }
        }
        return fail("no docker-compose.yml above " + Path.of("").toAbsolutePath());
    }
}
