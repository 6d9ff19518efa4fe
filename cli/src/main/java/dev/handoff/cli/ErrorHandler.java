package dev.handoff.cli;

import picocli.CommandLine;

/**
 * Turns a failure into one clear line on stderr and the right exit code: 2 for bad input (an invalid
 * field, a missing file), 1 for runtime failures. The stack trace only with {@code --verbose}.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        boolean verbose = OperatorVerbLogs.verbose(parsed);
        String verb = cli.getCommandName();
        cli.getErr().println(verb + ": " + message(e));
        if (verbose) {
            e.printStackTrace(cli.getErr());
        }
        return isUsage(e) ? 2 : 1;
    }

    static boolean isUsage(Throwable e) {
        return e instanceof IllegalArgumentException || e instanceof java.nio.file.NoSuchFileException
            || e instanceof UsageException;
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
