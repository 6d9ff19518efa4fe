package dev.handoff.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Verbs of the contract whose role is not wired into the CLI yet. Each says which part of the
 * project brings it and exits 1, so a script never mistakes it for success.
 */
final class PendingVerbs {
    private PendingVerbs() {
    }

    abstract static class Pending implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        abstract String area();

        @Override
        public Integer call() {
            spec.commandLine().getErr().println("handoff " + spec.name() + ": not available in this build yet; it arrives with "
                + area() + ".");
            return 1;
        }
    }


    @Command(name = "run", mixinStandardHelpOptions = true,
        description = "All roles in one process; embedded Kafka unless --bootstrap-servers is given.")
    static final class Run extends Pending {
        String area() {
            return "the CLI and quickstart work";
        }
    }






    @Command(name = "enqueue", mixinStandardHelpOptions = true, description = "Enqueue a part directory for nodes.")
    static final class Enqueue extends Pending {
        String area() {
            return "the CLI work";
        }
    }





}
