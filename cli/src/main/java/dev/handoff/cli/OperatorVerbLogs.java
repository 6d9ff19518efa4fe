package dev.handoff.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The one place that decides whose logs reach the screen: a role (a verb that runs until stopped, through
 * {@link RoleRunner}) keeps its logs; every other verb runs with {@link QuietLogs} unless {@code --verbose}
 * is given, so an operator sees the verb's own lines, not the Kafka client's retries behind them. A role's
 * {@code --log-format} is applied here, before the verb runs, so its first line is already in that format.
 */
final class OperatorVerbLogs implements CommandLine.IExecutionStrategy {
    private final CommandLine.IExecutionStrategy next = new CommandLine.RunLast();

    @Override
    public int execute(ParseResult parsed) {
        ParseResult verb = verb(parsed);
        OptionSpec format = verb.commandSpec().findOption("log-format");
        if (format != null && format.getValue() instanceof LogFormat f) {
            f.apply();
        }
        if (isRole(verb.commandSpec()) || verbose(verb)) {
            return next.execute(parsed);
        }
        try (QuietLogs.Restore restore = QuietLogs.apply()) {
            return next.execute(parsed);
        }
    }

    /** A role is a verb that runs until stopped, which every role does through its {@link RoleRunner}. */
    static boolean isRole(CommandSpec spec) {
        return spec.mixins().values().stream().anyMatch(m -> m.userObject() instanceof RoleRunner);
    }

    /** {@code --verbose} (or {@code -v}, or {@code HANDOFF_VERBOSE=true}) on the verb that runs. */
    static boolean verbose(ParseResult parsed) {
        OptionSpec option = verb(parsed).commandSpec().findOption("verbose");
        return option != null && Boolean.TRUE.equals(option.getValue());
    }

    private static ParseResult verb(ParseResult parsed) {
        ParseResult verb = parsed;
        while (verb.hasSubcommand()) {
            verb = verb.subcommand();
        }
        return verb;
    }
}
