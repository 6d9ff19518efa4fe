package dev.handoff.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A main class in its own JVM with this JVM's class path, output appended to a log file, for tests whose
 * fault is a process death: {@link #kill()} is SIGKILL (no shutdown hook, no close, no leaving a group).
 * Owned by the test thread.
 */
public final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final Path log;

    public ChildJvm(Path log, List<String> jvmArgs, Class<?> mainClass, String... args) throws IOException {
        this.log = log;
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        this.process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** True once the child printed {@code line} (on a line of its own) into its log. */
    public boolean printed(String line) throws IOException {
        return Files.exists(log) && Files.readAllLines(log).contains(line);
    }

    public List<String> lines() throws IOException {
        return Files.readAllLines(log);
    }

    public Path log() {
        return log;
    }

    /** Waits for the child to exit by itself and returns its exit code, or -1 when it did not within the timeout. */
    public int waitFor(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    /** kill -9. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
