package dev.handoff.cli;

import dev.handoff.replayer.ReplayerSettings;
import picocli.CommandLine.Option;

/** {@code --group-id} of the verbs that read the replayers' committed offsets to tell what is still pending. */
final class ReplayerGroupOption {
    @Option(names = "--group-id", defaultValue = ReplayerSettings.DEFAULT_GROUP_ID, paramLabel = "GROUP",
        description = "The replayers' consumer group (default: ${DEFAULT-VALUE}).")
    String groupId;
}
