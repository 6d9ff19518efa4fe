package dev.handoff.cli;

import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/** {@code handoff run} in the background of a test: its output so far, a stop like Ctrl-C, and its exit code. */
final class BackgroundRun {
    private final StringWriter out = new StringWriter();
    private final RunCommand command;
    private final CompletableFuture<Integer> exit;

    private BackgroundRun(String... args) {
        CommandLine run = Main.commandLine();
        run.setOut(new PrintWriter(out, true));
        command = (RunCommand) run.getSubcommands().get("run").getCommand();
        String[] verbAndArgs = new String[args.length + 1];
        verbAndArgs[0] = "run";
        System.arraycopy(args, 0, verbAndArgs, 1, args.length);
        exit = CompletableFuture.supplyAsync(() -> run.execute(verbAndArgs));
    }

    /** Starts {@code handoff run ARGS} on another thread. */
    static BackgroundRun start(String... args) {
        return new BackgroundRun(args);
    }

    /** Waits until every role is up (the run prints "Ctrl-C stops") or the run has ended. */
    BackgroundRun awaitStarted(Duration timeout) {
        await().atMost(timeout).until(() -> output().contains("Ctrl-C stops") || exit.isDone());
        return this;
    }

    String output() {
        return out.toString();
    }

    boolean isDone() {
        return exit.isDone();
    }

    /** Stops the run as Ctrl-C does. */
    void requestStop() {
        command.runner.requestStop();
    }

    int exitCode(Duration timeout) throws Exception {
        return exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
