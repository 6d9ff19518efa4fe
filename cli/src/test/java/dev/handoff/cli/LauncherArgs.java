package dev.handoff.cli;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine;

/** Checks of argument lists and environments that deployment files (Compose, Kubernetes) hand the launcher. */
final class LauncherArgs {
    private LauncherArgs() {
    }

    /** Long and short option names in {@code args} that the verb (or its sub-verb) does not define. */
    static Set<String> missingOptions(List<String> args) {
        CommandLine verb = Main.commandLine().getSubcommands().get(args.get(0));
        Set<String> missing = new TreeSet<>();
        for (String arg : args.subList(1, args.size())) {
            if (verb.getSubcommands().containsKey(arg)) {
                verb = verb.getSubcommands().get(arg);
            } else if (arg.startsWith("-")) {
                String name = arg.split("=", 2)[0];
                if (verb.getCommandSpec().findOption(name) == null) {
                    missing.add(name);
                }
            }
        }
        return missing;
    }

    /** The {@code HANDOFF_*} variable of every long option of {@code command} and its sub-verbs. */
    static void collectVariables(CommandLine command, Set<String> into) {
        for (CommandLine.Model.OptionSpec option : command.getCommandSpec().options()) {
            if (option.longestName().startsWith("--")) {
                into.add(EnvironmentDefaults.variableFor(option.longestName()));
            }
        }
        command.getSubcommands().values().forEach(sub -> collectVariables(sub, into));
    }
}
