package dev.handoff.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** Runs the real command line in-process and keeps what it printed: the one copy the CLI's tests share. */
record CliRun(int code, String out, String err) {

    /** Runs {@code args} followed by {@code common} (the options a test adds to every call). */
    static CliRun of(List<String> common, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(common);
        CommandLine cli = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return new CliRun(cli.execute(all.toArray(String[]::new)), out.toString(), err.toString());
    }
}
