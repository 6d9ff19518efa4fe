package dev.handoff.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import picocli.CommandLine;

/** Runs the real command line in-process and keeps what it printed: the one copy the CLI's tests share. */
record CliRun(int code, String out, String err) {

    /** Runs {@code args} as given. */
    static CliRun of(String... args) {
        return of(cli -> { }, args);
    }

    /** Runs {@code args} followed by {@code common} (the options a test adds to every call). */
    static CliRun of(List<String> common, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(common);
        return of(all.toArray(String[]::new));
    }

    /** {@code setup} may reach into the parsed verbs first (a test clock, a test stdin). */
    static CliRun of(Consumer<CommandLine> setup, String... args) {
        CommandLine cli = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        setup.accept(cli);
        int code = cli.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** The options that point a verb at a test's broker and topic prefix, then {@code more}. */
    static List<String> kafka(String bootstrapServers, String topicPrefix, String... more) {
        List<String> all = new ArrayList<>(List.of("--bootstrap-servers=" + bootstrapServers, "--topic-prefix=" + topicPrefix));
        all.addAll(List.of(more));
        return all;
    }
}
