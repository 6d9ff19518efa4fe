package dev.handoff.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.Consumer;
import picocli.CommandLine;

/** One run of the launcher in this JVM with its stdout and stderr captured. */
record CapturedRun(int code, String out, String err) {

    static CapturedRun of(String... args) {
        return of(cli -> { }, args);
    }

    /** {@code setup} may reach into the parsed verbs first (a test clock, a test stdin). */
    static CapturedRun of(Consumer<CommandLine> setup, String... args) {
        CommandLine cli = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        setup.accept(cli);
        int code = cli.execute(args);
        return new CapturedRun(code, out.toString(), err.toString());
    }
}
