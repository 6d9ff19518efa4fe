package dev.handoff.cli;

import picocli.CommandLine.Option;

/** {@code -v} of a role verb that has no Kafka options ({@link CommonOptions} brings its own): stack traces only. */
public final class VerboseOption {
    @Option(names = {"-v", "--verbose"}, description = "Print stack traces of failures.")
    boolean verbose;
}
