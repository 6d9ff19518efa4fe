package dev.handoff.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/** A role verb of the real launcher running on its own thread in this JVM, stopped as SIGTERM would stop it. */
record RunningRole(CommandLine cli, String verb, StringWriter out, CompletableFuture<Integer> exit) {

    static RunningRole start(String... args) {
        CommandLine cli = Main.commandLine();
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        return new RunningRole(cli, args[0], out, CompletableFuture.supplyAsync(() -> cli.execute(args)));
    }

    RoleRunner runner() {
        Object command = cli.getSubcommands().get(verb).getCommand();
        if (command instanceof ProducerCommand p) {
            return p.runner;
        } else if (command instanceof TopologyCommand t) {
            return t.runner;
        } else if (command instanceof ReplayerCommand r) {
            return r.runner;
        } else if (command instanceof DatanodeCommand d) {
            return d.runner;
        }
        throw new IllegalStateException("not a role: " + verb);
    }

    /** Asks the role to stop and returns its exit code (it must stop within {@code seconds}). */
    int stop(long seconds) throws Exception {
        runner().requestStop();
        return exit.get(seconds, TimeUnit.SECONDS);
    }
}
