package dev.handoff.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bin/handoff}: one launcher for every verb of the contract. Exit codes: 0 success, 1 runtime
 * failure, 2 bad usage.
 */
@Command(
    name = "handoff",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Kafka-backed durable handoff for sharded databases: parts written while a data node is down "
        + "are kept, replayed when it returns, and never lost.",
    subcommands = {
        QuickstartCommand.class,
        RunCommand.class,
        ProducerCommand.class,
        TopologyCommand.class,
        ReplayerCommand.class,
        DatanodeCommand.class,
        BanyanNodeCommand.class,
        InitCommand.class,
        EnqueueCommand.class,
        StatusCommand.class,
        WaitCommand.class,
        StoreCommand.class,
        ControlCommands.Pause.class,
        ControlCommands.Resume.class,
        ControlCommands.Truncate.class,
        ThrottleCommand.class,
        RetargetCommand.class,
        ParkedCommand.class,
        QuarantineCommand.class,
        CompletionCommand.class,
        DoctorCommand.class,
        CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // The embedded broker brings log4j-core, whose status logger complains about a config file it
        // cannot read; handoff logs through SLF4J/Logback.
        if (System.getProperty("log4j2.statusLoggerLevel") == null) {
            System.setProperty("log4j2.statusLoggerLevel", "OFF");
        }
        System.exit(execute(args));
    }

    /** Runs the CLI and returns its exit code (tests call this instead of {@link #main}). */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setDefaultValueProvider(new EnvironmentDefaults());
        cli.setExecutionExceptionHandler(new ErrorHandler());
        cli.setExecutionStrategy(new OperatorVerbLogs());
        return cli;
    }

    @Override
    public void run() {
        // No verb: show what there is and fail as bad usage.
        throw new CommandLine.ParameterException(spec.commandLine(), "a verb is required");
    }
}
